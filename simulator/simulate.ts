import { FIFOScheduler } from "../algorithms/schedulers/index.ts";
import { defaultSearcher } from "../algorithms/searchers/index.ts";
import { objectivity, OptionError } from "../core/contracts/index.ts";
import type { Json, Mode, Objective, Resources, Scheduler, Searcher, TrialStatus, TrialView } from "../core/contracts/index.ts";
import { validateSpace, type Space } from "../core/space/index.ts";
import { MaximumIterationStopper, type Stopper } from "../core/stoppers/index.ts";
import { bestTrial, countByStatus, type BestTrial, type Scope } from "../core/summary.ts";
import { EventTrace } from "../core/trace.ts";
import { optionalLoopSettings, TuneLoop } from "../core/tune-loop.ts";
import { resolveCluster, type ClusterSpec } from "./cluster-spec.ts";
import { SimExecutor } from "./sim-executor.ts";

export interface SimulateOptions {
  /** One of ours or any user-written `Objective`. */
  objective: Objective;
  space: Space;
  metric: string;
  mode: Mode;
  /** Most trials to run. */
  trials: number;
  /** @defaultValue GridSearch when the space has grid leaves, else RandomSearch */
  searcher?: Searcher;
  /** @defaultValue new FIFOScheduler() */
  scheduler?: Scheduler;
  /** @defaultValue 8 GPUs on one node, no preemption */
  cluster?: ClusterSpec;
  /** @defaultValue 0 */
  seed?: number;
  /** @defaultValue { cpu: 1, gpu: 1 } */
  resources?: Resources;
  /** Stop each trial at this iteration (null: only the objective's own `done` or a stopper ends it). @defaultValue 100 */
  maxIterations?: number | null;
  stoppers?: readonly Stopper[];
  /** @defaultValue 0 */
  checkpointFrequency?: number;
  /** @defaultValue false */
  checkpointAtEnd?: boolean;
  /** Checkpoints each trial keeps (Ray's num_to_keep); ones a trial may still restore are pinned. Left out: all. */
  keepCheckpoints?: number;
  /** @defaultValue 0 */
  maxFailures?: number;
  /** How `best` ranks trials. @defaultValue "last" */
  scope?: Scope;
  /** Receives the JSONL event trace, one line per call. Off by default (it costs time). */
  trace?: (line: string) => void;
  /** Experiment state from a previous run's `loop.save()`, to resume. */
  resumeFrom?: Json;
  /** Assert after every event that no node is over capacity (tests). */
  checkInvariants?: boolean;
}

/** The CLI's `--json` object. */
export interface SimulationSummary {
  metric: string;
  mode: Mode;
  seed: number;
  best: { metric: number; config: Record<string, unknown>; trialId: string; iteration: number } | null;
  trials: number;
  trialStates: Record<TrialStatus, number>;
  results: number;
  events: number;
  simulatedSeconds: number;
  wallSeconds: number;
  gpuSeconds: number;
  gpuSecondsLostToPreemption: number;
  preemptions: number;
  nodesLost: number;
  redoneIterations: number;
  failures: number;
  checkpoints: number;
  /** Checkpoints freed by `keepCheckpoints`. */
  checkpointsDiscarded: number;
  actorStarts: number;
  actorReuses: number;
  costDollars: number;
}

export interface SimulationRun {
  best: BestTrial | undefined;
  trials: readonly TrialView[];
  summary: SimulationSummary;
  /** The loop, for `save()` of the final experiment state. */
  loop: TuneLoop;
}

/** Runs one experiment in the discrete-event cluster simulator. */
export function simulate(options: SimulateOptions): SimulationRun {
  const started = performance.now();
  const { objective, space, metric, mode } = options;
  validateSpace(space);
  // The experiment's own metric and mode, checked before any default searcher could be blamed for them.
  objectivity(options, "");
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new OptionError("seed", `must be an integer, got ${seed}`);
  if (!objective.metrics.includes(metric)) {
    throw new OptionError("metric", `"${metric}" is not reported by objective ${objective.name} (reports: ${objective.metrics.join(", ")})`);
  }
  const maxIterations = options.maxIterations === undefined ? 100 : options.maxIterations;
  const stoppers: Stopper[] = [...(options.stoppers ?? [])];
  if (maxIterations !== null) stoppers.unshift(new MaximumIterationStopper(maxIterations));
  const trace = options.trace ? new EventTrace(options.trace) : undefined;
  const executor = new SimExecutor({
    objective,
    cluster: resolveCluster(options.cluster),
    seed,
    ...(trace ? { trace } : {}),
    ...(options.checkInvariants ? { checkInvariants: true } : {}),
  });
  const loop = new TuneLoop({
    searcher: options.searcher ?? defaultSearcher(space, { metric, mode, seed }, options.trials),
    scheduler: options.scheduler ?? new FIFOScheduler(),
    executor,
    metric,
    mode,
    trials: options.trials,
    resources: options.resources ?? { cpu: 1, gpu: 1 },
    ...optionalLoopSettings({ ...options, stoppers, trace }),
  });
  if (options.resumeFrom !== undefined) loop.restore(options.resumeFrom);
  loop.begin();
  executor.run(() => loop.finished);

  const best = bestTrial(loop.trials, metric, mode, options.scope ?? "last");
  const stats = executor.stats;
  const summary: SimulationSummary = {
    metric,
    mode,
    seed,
    best: best ? { metric: best.metric, config: best.config, trialId: best.trialId, iteration: best.iteration } : null,
    trials: loop.trials.length,
    trialStates: countByStatus(loop.trials),
    results: loop.counters.results,
    events: stats.events,
    simulatedSeconds: executor.now(),
    wallSeconds: (performance.now() - started) / 1000,
    gpuSeconds: stats.gpuSeconds,
    gpuSecondsLostToPreemption: stats.gpuSecondsLostToPreemption,
    preemptions: stats.preemptions,
    nodesLost: stats.nodesLost,
    redoneIterations: loop.counters.redoneIterations,
    failures: loop.counters.failures,
    checkpoints: loop.counters.checkpoints,
    checkpointsDiscarded: loop.counters.checkpointsDiscarded,
    actorStarts: stats.actorStarts,
    actorReuses: stats.actorReuses,
    costDollars: stats.costDollars,
  };
  return { best, trials: loop.trials, summary, loop };
}
