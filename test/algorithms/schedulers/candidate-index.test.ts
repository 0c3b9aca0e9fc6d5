/**
 * The candidate index (Scheduler.onCandidateChange) must choose exactly what
 * the scan over the loop's candidate list chose: each scheduler runs twice on
 * a preempted spot cluster (failures, restarts and pauses change the list in
 * every way the loop can), once told the candidates and once with the hook
 * hidden (the scan), and the two traces must be the same, line for line.
 */
import { describe, expect, it } from "vitest";
import {
  ASHAScheduler,
  HyperBandScheduler,
  MedianStoppingRule,
  PB2,
  PopulationBasedTraining,
  boundsFromSpace,
  mutationsFromSpace,
} from "../../../algorithms/schedulers/index.ts";
import { CandidateIndex } from "../../../algorithms/schedulers/_internals/candidate-index.ts";
import type { Scheduler, TrialView } from "../../../core/contracts/index.ts";
import { benchmarkByName } from "../../../benchmarks/objectives/index.ts";
import { simulate } from "../../../simulator/index.ts";

const bench = benchmarkByName("hartmann6");
const objectivity = { metric: bench.metric, mode: bench.mode };

/** The scheduler without its onCandidateChange: the loop cannot announce, so it scans. */
function scanning(scheduler: Scheduler): Scheduler {
  return new Proxy(scheduler, {
    get(target, key) {
      if (key === "onCandidateChange") return undefined;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function trace(scheduler: Scheduler, seed: number, trials: number, extra: { checkpointFrequency?: number } = {}): string[] {
  const lines: string[] = [];
  simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials,
    seed,
    scheduler,
    cluster: {
      nodeTypes: [
        { name: "big", count: 2, gpus: 4, cpus: 16, spot: true },
        { name: "small", count: 2, gpus: 1, cpus: 4, spot: true },
      ],
      preemptionRate: 40,
      preemptionNoticeSeconds: 20,
    },
    maxFailures: 3,
    maxIterations: 27,
    trace: (line) => lines.push(line),
    ...extra,
  });
  return lines;
}

const cases: Record<string, { make: (seed: number) => Scheduler; checkpointFrequency?: number; trials?: number }> = {
  "asha-stopping": { make: (seed) => new ASHAScheduler({ ...objectivity, maxT: 27, gracePeriod: 1, reductionFactor: 3, brackets: 2, seed }) },
  "asha-promotion": {
    make: (seed) => new ASHAScheduler({ ...objectivity, maxT: 27, gracePeriod: 1, reductionFactor: 3, brackets: 2, type: "promotion", seed }),
    checkpointFrequency: 1,
  },
  hyperband: { make: () => new HyperBandScheduler({ ...objectivity, maxT: 27, reductionFactor: 3 }), checkpointFrequency: 1 },
  "median-stopping": { make: () => new MedianStoppingRule({ ...objectivity, timeAttr: "training_iteration", gracePeriod: 3, hardStop: false }) },
  // Hard stops, and pauses for lack of samples (trials reach each time_total_s at their own pace): paused trials pile up behind new ones.
  "median-stopping-time": { make: () => new MedianStoppingRule({ ...objectivity, timeAttr: "time_total_s", gracePeriod: 10, minSamplesRequired: 5 }) },
  pbt: {
    trials: 30,
    make: (seed) =>
      new PopulationBasedTraining({ ...objectivity, seed, timeAttr: "training_iteration", perturbationInterval: 4, hyperparamMutations: mutationsFromSpace(bench.space) }),
  },
  "pbt-synch": {
    trials: 30,
    make: (seed) =>
      new PopulationBasedTraining({ ...objectivity, seed, synch: true, timeAttr: "training_iteration", perturbationInterval: 4, hyperparamMutations: mutationsFromSpace(bench.space) }),
  },
  pb2: {
    // PB2's model fit grows with the population: a small one.
    trials: 12,
    make: (seed) =>
      new PB2({
        ...objectivity,
        seed,
        timeAttr: "training_iteration",
        perturbationInterval: 4,
        hyperparamBounds: boundsFromSpace(bench.space),
        model: { fitEvaluations: 20, acquisitionStarts: 2, acquisitionEvaluations: 30 },
      }),
  },
};

describe("candidate index: the same choices as the scan", () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      for (const seed of [1, 2]) {
        const extra = c.checkpointFrequency === undefined ? {} : { checkpointFrequency: c.checkpointFrequency };
        const indexed = trace(c.make(seed), seed, c.trials ?? 60, extra);
        const scanned = trace(scanning(c.make(seed)), seed, c.trials ?? 60, extra);
        // The run did something worth comparing: trials were preempted and restarted.
        expect(indexed.some((l) => l.includes('"type":"failed"'))).toBe(true);
        expect(indexed.length).toBeGreaterThan(100);
        expect(indexed).toEqual(scanned);
      }
    });
  }
});

describe("CandidateIndex", () => {
  const view = (index: number): TrialView => ({ id: `t${index}`, index }) as TrialView;

  it("answers the first candidate by creation index that the rule accepts, and drops refused ones until requeued", () => {
    const index = new CandidateIndex();
    const [a, b, c] = [view(0), view(1), view(2)];
    for (const t of [c, a, b]) index.change(t, true);
    expect(index.mirrors([a, b, c])).toBe(true);
    expect(index.mirrors([a, b])).toBe(false);
    const blocked = new Set(["t0"]);
    expect(index.first((t) => !blocked.has(t.id))?.id).toBe("t1");
    // t0 was dropped: unblocking it alone does not bring it back...
    blocked.clear();
    expect(index.first(() => true)?.id).toBe("t1");
    // ...a requeue does.
    index.requeue("t0");
    expect(index.first(() => true)?.id).toBe("t0");
    index.change(a, false);
    expect(index.first(() => true)?.id).toBe("t1");
    expect(index.change(a, false)).toBe(false);
    expect(index.size).toBe(2);
  });

  it("is not the loop's list until the loop announces, nor after a reset", () => {
    const index = new CandidateIndex();
    expect(index.mirrors([])).toBe(false);
    index.change(view(0), true);
    expect(index.mirrors([view(0)])).toBe(true);
    index.reset();
    expect(index.mirrors([])).toBe(false);
    expect(index.first(() => true)).toBeUndefined();
  });
});
