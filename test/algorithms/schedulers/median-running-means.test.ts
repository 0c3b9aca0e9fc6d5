/**
 * The running-means index of the median stopping rule (issue 14) against the pass
 * over every trial it replaces: same decisions, event for event, in the cases that
 * move a trial's history behind the rule's back (spot preemptions and restarts
 * that drop results, pauses that resume from a checkpoint, stoppers, `done`),
 * with a continuous time attribute, and with times that go backwards; and, as a
 * property, for arbitrary histories: ties, equal and out-of-order times, trials
 * with no result before the time, cut histories, completions and save/restore.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MedianStoppingRule, type MedianStoppingRuleOptions } from "../../../algorithms/schedulers/index.ts";
import { RunningMeans } from "../../../algorithms/schedulers/median-running-means.ts";
import { IntervalMedianIndex } from "../../../algorithms/schedulers/median-interval-index.ts";
import type { Result, TrialView } from "../../../core/contracts/index.ts";
import { benchmarkByName } from "../../../benchmarks/objectives/index.ts";
import { simulate, type SimulateOptions } from "../../../simulator/index.ts";

const hartmann = benchmarkByName("hartmann6");

/** The rule with its index replaced by one that tracks no time: every question takes the pass. */
function passOnly(options: MedianStoppingRuleOptions): MedianStoppingRule {
  const rule = new MedianStoppingRule(options);
  (rule as unknown as { means: RunningMeans }).means = new RunningMeans(rule.metric, rule.timeAttr, rule.gracePeriod, false);
  return rule;
}

/** The rule with no tracked time: every question goes to the interval index. */
function intervalsOnly(options: MedianStoppingRuleOptions): MedianStoppingRule {
  const rule = new MedianStoppingRule(options);
  (rule as unknown as { means: RunningMeans }).means = new RunningMeans(rule.metric, rule.timeAttr, rule.gracePeriod, true, undefined, 0);
  return rule;
}

function digest(rule: MedianStoppingRule, extra: Partial<SimulateOptions>, seed: number): { digest: string; stops: number } {
  const hash = createHash("sha256");
  let stops = 0;
  simulate({
    objective: hartmann.objective,
    space: hartmann.space,
    metric: hartmann.metric,
    mode: hartmann.mode,
    trials: 60,
    seed,
    scheduler: rule,
    cluster: { gpus: 6 },
    maxIterations: 30,
    ...extra,
    trace: (line) => {
      hash.update(line);
      if (line.includes('"decision":"stop"') || line.includes('"type":"stop"')) stops++;
    },
  });
  return { digest: hash.digest("hex"), stops };
}

const spot: Partial<SimulateOptions> = {
  cluster: { nodeTypes: [{ name: "spot", count: 3, gpus: 2, cpus: 8, spot: true }], preemptionRate: 6 },
  checkpointFrequency: 4,
  maxFailures: 5,
};

const cases: Array<[string, MedianStoppingRuleOptions, Partial<SimulateOptions>]> = [
  ["iterations", { metric: hartmann.metric, mode: hartmann.mode, timeAttr: "training_iteration", gracePeriod: 3 }, {}],
  ["iterations, spot preemptions and restarts", { metric: hartmann.metric, mode: hartmann.mode, timeAttr: "training_iteration", gracePeriod: 3 }, spot],
  ["pauses instead of stops, with checkpoints", { metric: hartmann.metric, mode: hartmann.mode, timeAttr: "training_iteration", gracePeriod: 3, hardStop: false, minTimeSlice: 2 }, { checkpointFrequency: 3 }],
  ["continuous time_total_s, spot", { metric: hartmann.metric, mode: hartmann.mode, gracePeriod: 5 }, spot],
];

describe("median stopping: the running-means index decides as the pass does", () => {
  for (const [name, options, extra] of cases) {
    it(name, () => {
      for (const seed of [1, 2]) {
        const indexed = digest(new MedianStoppingRule(options), extra, seed);
        const intervals = digest(intervalsOnly(options), extra, seed);
        const pass = digest(passOnly(options), extra, seed);
        expect(indexed.digest).toBe(pass.digest);
        expect(intervals.digest).toBe(pass.digest);
        expect(indexed.stops).toBeGreaterThan(0);
      }
    });
  }

  it("matches the pass when a trial's times go backwards or its history is cut", () => {
    const trials: Array<TrialView & { history: Result[] }> = [];
    const rule = new MedianStoppingRule({ metric: "y", mode: "max", timeAttr: "t", gracePeriod: 1, minSamplesRequired: 1 });
    rule.setContext({ now: () => 0, trials: () => trials, requestCheckpoint: () => {} });
    let checked = 0;
    const push = (k: number, t: number, y: number): void => {
      const trial = trials[k] as TrialView & { history: Result[] };
      const r: Result = { trialId: trial.id, iteration: trial.history.length + 1, metrics: { y, t }, time: t, timeTotal: t };
      trial.history.push(r);
      rule.onTrialResult(trial, r);
    };
    for (let k = 0; k < 6; k++) {
      trials.push({ id: `t${k}`, index: k, status: "RUNNING", config: {}, resources: { cpu: 1, gpu: 1 }, history: [], lastResult: undefined } as unknown as TrialView & { history: Result[] });
    }
    let seed = 7;
    const random = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let step = 0; step < 250; step++) {
      const k = Math.floor(random() * 6);
      const trial = trials[k] as TrialView & { history: Result[] };
      const last = trial.history.length === 0 ? 0 : ((trial.history[trial.history.length - 1] as Result).metrics.t as number);
      if (random() < 0.05 && trial.history.length > 2) {
        // A restart: the loop chose it and dropped results after its checkpoint.
        rule.chooseTrialToRun([trial]);
        trial.history.length = Math.floor(trial.history.length / 2);
        continue;
      }
      // Mostly growing integer times, sometimes one that goes back.
      const t = random() < 0.1 ? Math.max(1, last - 1 - Math.floor(random() * 3)) : last + 1 + Math.floor(random() * 2);
      push(k, t, Math.round(random() * 20) / 4);
      for (const self of trials) {
        if (self.history.length === 0) continue;
        for (const at of [1, 2, 3, 5, 8]) {
          // The index first, before anything re-reads the histories; the pass from scratch.
          const fromIndex = (rule as unknown as { means: RunningMeans }).means.medianAt(self, at, () => trials);
          const fromPass = new RunningMeans("y", "t", 1, false).medianAt(self, at, () => trials);
          expect(fromIndex).toEqual(fromPass);
          if (fromPass.count > 0) checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  type Step =
    | { kind: "result"; trial: number; dt: number; y: number; missing: "none" | "metric" | "time" }
    | { kind: "done"; trial: number; dt: number; y: number }
    | { kind: "cut"; trial: number; keep: number }
    | { kind: "restore" }
    | { kind: "ask"; times: number[] };

  const y = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -3, max: 3 }).map((k) => k / 4) },
    { weight: 1, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
    // -MIN_VALUE then zeros: a mean of -0 (the smallest denormal over 3 rounds to -0).
    { weight: 2, arbitrary: fc.constantFrom(-0, -Number.MIN_VALUE, -Number.MIN_VALUE, Number.NaN, Number.POSITIVE_INFINITY) },
  );
  // Mostly forward in time, sometimes the same time again or back.
  const dt = fc.integer({ min: -3, max: 6 }).map((k) => k / 2);
  const trialIndex = fc.integer({ min: 0, max: 4 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 10, arbitrary: fc.record({ kind: fc.constant("result" as const), trial: trialIndex, dt, y, missing: fc.constantFrom("none" as const, "none" as const, "none" as const, "none" as const, "metric" as const, "time" as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("done" as const), trial: trialIndex, dt, y }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("cut" as const), trial: trialIndex, keep: fc.nat({ max: 6 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: "restore" as const }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("ask" as const), times: fc.array(fc.integer({ min: 0, max: 24 }).map((k) => k / 2), { minLength: 1, maxLength: 4 }) }) },
  );

  it("gives the pass's median bit for bit for arbitrary histories (property)", () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 120, size: "max" }), fc.constantFrom(0, 1, 2.5), fc.constantFrom(0, 3, 256), (steps, gracePeriod, maxTracked) => {
        const trials: Array<TrialView & { history: Result[] }> = [];
        for (let k = 0; k < 5; k++) {
          trials.push({ id: `t${k}`, index: k, status: "RUNNING", config: {}, resources: { cpu: 1, gpu: 1 }, history: [], lastResult: undefined } as unknown as TrialView & { history: Result[] });
        }
        const rule = new MedianStoppingRule({ metric: "y", mode: "max", timeAttr: "t", gracePeriod, minSamplesRequired: 1 });
        // Blocks of one or two intervals: the index splits and re-cuts all the time. maxTracked 0: intervals only;
        // 3: a few trees, the rest intervals; 256: a tree for every time asked twice.
        (rule as unknown as { means: RunningMeans }).means = new RunningMeans("y", "t", gracePeriod, true, () => new IntervalMedianIndex(1, 0.05), maxTracked);
        rule.setContext({ now: () => 0, trials: () => trials, requestCheckpoint: () => {} });
        const clock = [0, 0, 0, 0, 0];
        const result = (k: number, t: number, value: number, missing = "none"): Result => {
          const trial = trials[k] as TrialView & { history: Result[] };
          const metrics: Record<string, number> = {};
          if (missing !== "metric") metrics.y = value;
          if (missing !== "time") metrics.t = t;
          return { trialId: trial.id, iteration: trial.history.length + 1, metrics, time: t, timeTotal: t };
        };
        for (const s of steps) {
          if (s.kind === "result" || s.kind === "done") {
            const trial = trials[s.trial] as TrialView & { history: Result[] };
            clock[s.trial] = Math.max(0, (clock[s.trial] as number) + s.dt);
            const r = result(s.trial, clock[s.trial] as number, s.y, s.kind === "result" ? s.missing : "none");
            trial.history.push(r);
            // A `done` result skips onTrialResult: the loop only reports the completion.
            if (s.kind === "result") rule.onTrialResult(trial, r);
            else rule.onTrialComplete(trial);
          } else if (s.kind === "cut") {
            const trial = trials[s.trial] as TrialView & { history: Result[] };
            rule.chooseTrialToRun([trial]);
            trial.history.length = Math.min(trial.history.length, s.keep);
          } else if (s.kind === "restore") {
            rule.restore(rule.save());
          } else {
            const means = (rule as unknown as { means: RunningMeans }).means;
            for (const self of trials) {
              for (const at of s.times) {
                const fromIndex = means.medianAt(self, at, () => trials);
                const fromPass = new RunningMeans("y", "t", gracePeriod, false).medianAt(self, at, () => trials);
                const same = fromIndex.count === fromPass.count && (Object.is(fromIndex.median, fromPass.median) || (Number.isNaN(fromIndex.median) && Number.isNaN(fromPass.median)));
                if (!same) throw new Error(`${self.id} at ${at}: index ${String(fromIndex.median)} of ${fromIndex.count}, pass ${String(fromPass.median)} of ${fromPass.count}`);
                if (fromPass.count > 0) compared++;
              }
            }
          }
        }
      }),
      { numRuns: 400, seed: 14 },
    );
    expect(compared).toBeGreaterThan(2000);
  });
});
