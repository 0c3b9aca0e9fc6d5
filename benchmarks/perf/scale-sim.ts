/** The simulations of benchmarks/perf/scale.ts: one scheduler, many trials, a big cluster. */
import {
  ASHAScheduler,
  FIFOScheduler,
  HyperBandScheduler,
  MedianStoppingRule,
  PB2,
  PopulationBasedTraining,
  boundsFromSpace,
  mutationsFromSpace,
} from "../../algorithms/schedulers/index.ts";
import { RunningMeans } from "../../algorithms/schedulers/median-running-means.ts";
import type { Scheduler } from "../../core/contracts/index.ts";
import { benchmarkByName } from "../objectives/index.ts";
import { simulate } from "../../simulator/index.ts";
import { SchedulerWorkTimer } from "./scheduler-work-timer.ts";

export interface SimScale {
  readonly label: string;
  readonly trials: number;
  readonly gpus: number;
}

/** Iterations per trial: ASHA and HyperBand rungs at 1, 3, 9 (rf 3), stopped at 27. */
export const ITERATIONS = 27;
const bench = benchmarkByName("hartmann6", { maxIterations: ITERATIONS });
const objectivity = { metric: bench.metric, mode: bench.mode };

const factories: Record<string, () => Scheduler> = {
  fifo: () => new FIFOScheduler(),
  "asha-stopping": () => new ASHAScheduler({ ...objectivity, maxT: ITERATIONS, gracePeriod: 1, reductionFactor: 3, seed: 1 }),
  "asha-promotion": () => new ASHAScheduler({ ...objectivity, maxT: ITERATIONS, gracePeriod: 1, reductionFactor: 3, type: "promotion", seed: 1 }),
  hyperband: () => new HyperBandScheduler({ ...objectivity, maxT: ITERATIONS, reductionFactor: 3 }),
  "median-stopping": () => new MedianStoppingRule({ ...objectivity, timeAttr: "training_iteration", gracePeriod: 3 }),
  // On time_total_s every trial reports at its own times (1-3 s an iteration here): the interval index's case.
  "median-stopping-time": () => new MedianStoppingRule({ ...objectivity, timeAttr: "time_total_s", gracePeriod: 10 }),
  // The same rule answering every question by the pass over every trial (what it did before the index): the baseline.
  "median-stopping-time-pass": () => {
    const rule = new MedianStoppingRule({ ...objectivity, timeAttr: "time_total_s", gracePeriod: 10 });
    (rule as unknown as { means: RunningMeans }).means = new RunningMeans(rule.metric, rule.timeAttr, rule.gracePeriod, false);
    return rule;
  },
  pbt: () =>
    new PopulationBasedTraining({ ...objectivity, seed: 1, timeAttr: "training_iteration", perturbationInterval: 9, hyperparamMutations: mutationsFromSpace(bench.space) }),
  pb2: () => pb2({}),
  // PB2 with the cheaper model step (docs/architecture/scale-sim.md, "PB2 at scale"): a model search
  // at one exploit in 10, at most 50 of the round's picks pending, 250 rows.
  "pb2-reuse": () => pb2({ refitPeriod: 10, maxPending: 50, maxRows: 250 }),
};

/** PB2 with a modest model step (Ray's rule unless `model` says otherwise). */
function pb2(model: Record<string, number>): PB2 {
  return new PB2({
    ...objectivity,
    seed: 1,
    timeAttr: "training_iteration",
    perturbationInterval: 9,
    hyperparamBounds: boundsFromSpace(bench.space),
    model: { fitEvaluations: 30, acquisitionStarts: 3, acquisitionEvaluations: 60, ...model },
  });
}

export const simSchedulerNames: readonly string[] = Object.keys(factories);
/**
 * What scale.ts runs without --schedulers: all but median stopping on
 * time_total_s and its pass baseline (O(n) per result: it would only spend its
 * whole budget at 10,000 trials). Name them to run them.
 */
export const defaultSimSchedulerNames: readonly string[] = simSchedulerNames.filter((n) => !n.startsWith("median-stopping-time"));

export interface SimRate {
  seconds: number;
  cpuSeconds: number;
  trials: number;
  results: number;
  resultsPerSecond: number;
  resultsPerCpuSecond: number;
  /** With `schedulerWork`: seconds of the scheduler's own hooks (SchedulerWorkTimer). */
  schedulerSeconds?: number;
  /** With `schedulerWork`: the same per hook, with its call count. */
  schedulerHooks?: Record<string, { calls: number; seconds: number }>;
}

/**
 * One timed run; the scheduler is built outside the timing. `schedulerWork`: also time the
 * scheduler's own hooks (slows the run a little). `instrument`: applied to the new scheduler
 * before the run (scheduler-tree-work.ts counts inside its hooks).
 */
export function simThroughput(name: string, scale: SimScale, schedulerWork = false, instrument?: (scheduler: Scheduler) => Scheduler): SimRate {
  const factory = factories[name];
  if (!factory) throw new Error(`unknown scheduler "${name}"; known: ${simSchedulerNames.join(", ")}`);
  const timer = schedulerWork ? new SchedulerWorkTimer() : undefined;
  const scheduler = instrument ? instrument(factory()) : factory();
  timer?.wrap(scheduler);
  const t0 = performance.now();
  // CPU time as well as wall time: on a shared machine the wall clock also counts other processes' turns.
  const cpu0 = process.cpuUsage();
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: scale.trials,
    seed: 1,
    scheduler,
    cluster: { gpus: scale.gpus },
    maxIterations: ITERATIONS,
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const results = run.summary.results;
  const rate: SimRate = { seconds, cpuSeconds, trials: run.trials.length, results, resultsPerSecond: results / seconds, resultsPerCpuSecond: results / cpuSeconds };
  if (timer) {
    rate.schedulerSeconds = timer.seconds;
    rate.schedulerHooks = timer.byHook();
  }
  return rate;
}
