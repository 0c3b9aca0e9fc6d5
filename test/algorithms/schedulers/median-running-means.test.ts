/**
 * The running-means index of the median stopping rule (issue 14) against the pass
 * over every trial it replaces: same decisions, event for event, in the cases that
 * move a trial's history behind the rule's back (spot preemptions and restarts
 * that drop results, pauses that resume from a checkpoint, stoppers, `done`),
 * with a continuous time attribute, and with times that go backwards.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MedianStoppingRule, type MedianStoppingRuleOptions } from "../../../algorithms/schedulers/index.ts";
import { RunningMeans } from "../../../algorithms/schedulers/median-running-means.ts";
import type { Result, TrialView } from "../../../core/contracts/index.ts";
import { benchmarkByName } from "../../../benchmarks/objectives/index.ts";
import { simulate, type SimulateOptions } from "../../../simulator/index.ts";

const hartmann = benchmarkByName("hartmann6");

/** The rule with its index replaced by one that tracks no time: every question takes the pass. */
function passOnly(options: MedianStoppingRuleOptions): MedianStoppingRule {
  const rule = new MedianStoppingRule(options);
  (rule as unknown as { means: RunningMeans }).means = new RunningMeans(rule.metric, rule.timeAttr, rule.gracePeriod, 0);
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
        const pass = digest(passOnly(options), extra, seed);
        expect(indexed.digest).toBe(pass.digest);
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
          const fromPass = new RunningMeans("y", "t", 1, 0).medianAt(self, at, () => trials);
          expect(fromIndex).toEqual(fromPass);
          if (fromPass.count > 0) checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
