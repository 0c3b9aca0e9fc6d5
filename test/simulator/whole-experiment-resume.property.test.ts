/**
 * The property behind issue 10's "a resumed experiment continues as if nothing
 * happened": save the whole experiment (`loop.save()`: trials in their
 * lifecycle states, pending exploits, searcher, scheduler, stoppers, retention
 * and the simulator's clock, events, nodes and actors) at a random event,
 * restore it into fresh objects, and the rest of the run's trace is
 * byte-identical to the uninterrupted run's, and so is the final state.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ASHAScheduler,
  HyperBandScheduler,
  MedianStoppingRule,
  PB2,
  PopulationBasedTraining,
  boundsFromSpace,
  integerKeysFromSpace,
  mutationsFromSpace,
} from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { benchmarkByName, rlReturnObjective } from "../../benchmarks/objectives/index.ts";
import type { Json, Objective, Scheduler } from "../../core/contracts/index.ts";
import type { Space } from "../../core/space/index.ts";
import { MaximumIterationStopper } from "../../core/stoppers/index.ts";
import { EventTrace } from "../../core/trace.ts";
import { TuneLoop } from "../../core/tune-loop.ts";
import { resolveCluster, SimExecutor } from "../../simulator/index.ts";

interface Setting {
  seed: number;
  /** Where to save, as a fraction of the uninterrupted run's events. */
  cut: number;
  /** Spot nodes preempted often (with or without a notice). */
  spot: "none" | "preempted" | "noticed";
  keepCheckpoints: number | undefined;
  /** The save lands at the first event from `cut` on where this holds (random cuts rarely meet the short-lived states). */
  moment: Moment;
}

type Moment = "any" | "exploit pending" | "save in flight" | "after a node was replaced";

const MOMENTS: Record<Moment, (loop: TuneLoop, executor: SimExecutor) => boolean> = {
  any: () => true,
  "exploit pending": (loop) => loop.pendingExploits().length > 0,
  "save in flight": (loop) => loop.trials.some((t) => t.savePending),
  "after a node was replaced": (_loop, executor) => executor.nodeSnapshot().length > 3,
};

interface Bench {
  objective: Objective;
  space: Space;
  metric: string;
  mode: "min" | "max";
}

interface Case {
  bench: Bench;
  trials: number;
  maxIterations: number;
  checkpointFrequency: number;
  /** Per spot node-hour: several nodes lost and replaced within the run's simulated minutes. */
  preemptionRate: number;
  scheduler: (seed: number, b: Bench) => Scheduler;
}

const hartmann = benchmarkByName("hartmann6") as Bench;
const rl = { ...rlReturnObjective(), mode: "max" } as Bench;

const pbt = (synch: boolean) => (seed: number, b: Bench) =>
  new PopulationBasedTraining({ metric: b.metric, mode: b.mode, seed, synch, timeAttr: "training_iteration", perturbationInterval: 4, hyperparamMutations: mutationsFromSpace(b.space) });

/** PB2 on the RL curve with a small model step, plus `model` settings of its own. */
function pb2Case(model: Record<string, number>): Case {
  return {
    bench: rl,
    trials: 5,
    maxIterations: 16,
    checkpointFrequency: 0,
    preemptionRate: 12,
    scheduler: (seed, b) =>
      new PB2({
        metric: b.metric,
        mode: b.mode,
        seed,
        timeAttr: "training_iteration",
        perturbationInterval: 4,
        hyperparamBounds: boundsFromSpace(b.space),
        integerHyperparams: integerKeysFromSpace(b.space),
        model: { fitEvaluations: 10, acquisitionStarts: 2, acquisitionEvaluations: 20, ...model },
      }),
  };
}

const CASES: Record<string, Case> = {
  "async PBT": { bench: rl, trials: 6, maxIterations: 24, checkpointFrequency: 0, preemptionRate: 12, scheduler: pbt(false) },
  "sync PBT": { bench: rl, trials: 6, maxIterations: 24, checkpointFrequency: 0, preemptionRate: 12, scheduler: pbt(true) },
  PB2: pb2Case({}),
  // The cheaper model step (issue 14): a saved fit and its count must survive a resume.
  "PB2 reusing its model": pb2Case({ refitPeriod: 3, maxPending: 1, maxRows: 6 }),
  "ASHA with promotion": {
    bench: hartmann,
    trials: 14,
    maxIterations: 27,
    checkpointFrequency: 1,
    preemptionRate: 90,
    scheduler: (seed, b) => new ASHAScheduler({ metric: b.metric, mode: b.mode, maxT: 27, gracePeriod: 1, reductionFactor: 3, brackets: 2, type: "promotion", seed }),
  },
  HyperBand: {
    bench: hartmann,
    trials: 14,
    maxIterations: 27,
    checkpointFrequency: 1,
    preemptionRate: 90,
    scheduler: (_seed, b) => new HyperBandScheduler({ metric: b.metric, mode: b.mode, maxT: 27, reductionFactor: 3 }),
  },
  "median stopping": {
    bench: hartmann,
    trials: 12,
    maxIterations: 20,
    checkpointFrequency: 2,
    preemptionRate: 90,
    scheduler: (_seed, b) => new MedianStoppingRule({ metric: b.metric, mode: b.mode, timeAttr: "training_iteration", gracePeriod: 3, minSamplesRequired: 2 }),
  },
};

function build(c: Case, s: Setting, lines: string[]) {
  const trace = new EventTrace((line) => lines.push(line));
  const spot = s.spot !== "none";
  const cluster = resolveCluster({
    nodeTypes: [
      { name: "a", count: 2, gpus: 2, cpus: 8, spot },
      { name: "b", count: 1, gpus: 1, cpus: 4 },
    ],
    preemptionRate: spot ? c.preemptionRate : 0,
    replacementDelaySeconds: 10,
    preemptionNoticeSeconds: s.spot === "noticed" ? 20 : 0,
  });
  const executor = new SimExecutor({ objective: c.bench.objective, cluster, seed: s.seed, trace });
  const loop = new TuneLoop({
    searcher: new RandomSearch(c.bench.space, { metric: c.bench.metric, mode: c.bench.mode, seed: s.seed }),
    scheduler: c.scheduler(s.seed, c.bench),
    executor,
    metric: c.bench.metric,
    mode: c.bench.mode,
    trials: c.trials,
    resources: { cpu: 1, gpu: 1 },
    stoppers: [new MaximumIterationStopper(c.maxIterations)],
    checkpointFrequency: c.checkpointFrequency,
    maxFailures: -1,
    ...(s.keepCheckpoints !== undefined ? { keepCheckpoints: s.keepCheckpoints } : {}),
    trace,
  });
  return { loop, executor };
}

/** Final state without the executor's counters of wall work (identical anyway) and as one string. */
const finalState = (loop: TuneLoop) => JSON.stringify(loop.save());

function checkResumeIsExact(c: Case, s: Setting): { events: number; savedAt: number } {
  // The uninterrupted run.
  const straight: string[] = [];
  const a = build(c, s, straight);
  const moments: number[] = [];
  a.loop.begin();
  a.executor.run(() => {
    if (!a.loop.finished && MOMENTS[s.moment](a.loop, a.executor)) moments.push(a.executor.stats().events);
    return a.loop.finished;
  });
  const events = a.executor.stats().events;

  // The same run, saved between two events.
  const cut = Math.floor(s.cut * events);
  const savedAt = moments.find((m) => m >= cut) ?? moments[moments.length - 1] ?? cut;
  const before: string[] = [];
  const b = build(c, s, before);
  let saved: string | undefined;
  let linesAtSave = 0;
  b.loop.begin();
  b.executor.run(() => {
    if (b.executor.stats().events < savedAt && !b.loop.finished) return false;
    saved = JSON.stringify(b.loop.save());
    linesAtSave = before.length;
    return true;
  });
  expect(before.slice(0, linesAtSave)).toEqual(straight.slice(0, linesAtSave));

  // Fresh objects from the saved JSON, driven to the end.
  const after: string[] = [];
  const r = build(c, s, after);
  const built = after.length; // a fresh simulator announces its nodes; the restore replaces them
  r.loop.restore(JSON.parse(saved as string) as Json);
  r.loop.begin();
  r.executor.run(() => r.loop.finished);
  expect(after.slice(built).join("")).toBe(straight.slice(linesAtSave).join(""));
  expect(finalState(r.loop)).toBe(finalState(a.loop));
  return { events, savedAt };
}

const settings = fc.record({
  seed: fc.integer({ min: 0, max: 10_000 }),
  cut: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  spot: fc.constantFrom<Setting["spot"]>("none", "preempted", "noticed"),
  keepCheckpoints: fc.constantFrom<number | undefined>(undefined, 1, 2),
  moment: fc.constantFrom<Moment>("any", "exploit pending", "save in flight", "after a node was replaced"),
});

describe("saving the whole experiment at a random event and restoring it into fresh objects changes nothing", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, () => {
      fc.assert(
        fc.property(settings, (s) => {
          checkResumeIsExact(c, s);
        }),
        { numRuns: 20 },
      );
    });
  }

  it("exercises what it claims: exploits, pauses, stops, preemptions and discarded checkpoints happen in these runs", () => {
    const seen = new Set<string>();
    const s: Setting = { seed: 3, cut: 0.5, spot: "noticed", keepCheckpoints: 1, moment: "any" };
    for (const c of Object.values(CASES)) {
      const lines: string[] = [];
      const { loop, executor } = build(c, s, lines);
      loop.begin();
      executor.run(() => loop.finished);
      for (const line of lines) seen.add((JSON.parse(line) as { type: string }).type);
    }
    for (const type of ["exploit", "pause", "stop", "node_lost", "preemption_notice", "checkpoint_discarded", "failed"]) expect(seen, type).toContain(type);
  });
});
