import { objectivity } from "../core/contracts/index.ts";
import { FIFOScheduler } from "../algorithms/schedulers/index.ts";
import { defaultSearcher } from "../algorithms/searchers/index.ts";
import type { Mode, Resources, Scheduler, Searcher, TrialView } from "../core/contracts/index.ts";
import { validateSpace, type Space } from "../core/space/index.ts";
import type { Stopper } from "../core/stoppers/index.ts";
import { bestTrial, type BestTrial, type Scope } from "../core/summary.ts";
import { optionalLoopSettings, TuneLoop } from "../core/tune-loop.ts";
import { InProcessExecutor } from "./in-process-executor.ts";
import type { Trainable } from "./trainable.ts";

export interface TuneOptions {
  trainable: Trainable;
  space: Space;
  metric: string;
  mode: Mode;
  trials: number;
  searcher?: Searcher;
  scheduler?: Scheduler;
  /** Per trial. @defaultValue { cpu: 1, gpu: 0 } */
  resources?: Resources;
  /** What this process offers. @defaultValue all CPUs, no GPU */
  capacity?: Resources;
  /** @defaultValue 0 */
  seed?: number;
  stoppers?: readonly Stopper[];
  checkpointFrequency?: number;
  checkpointAtEnd?: boolean;
  /** Checkpoints each trial keeps, its newest (Ray's num_to_keep); ones a trial may still restore are pinned. Left out: all. */
  keepCheckpoints?: number;
  /** Save checkpoints as directories under this path (`<path>/<trial>/checkpoint_<iteration>`); else in memory. */
  storagePath?: string;
  maxFailures?: number;
  scope?: Scope;
}

export interface TuneRun {
  best: BestTrial | undefined;
  trials: readonly TrialView[];
  wallSeconds: number;
  loop: TuneLoop;
}

/** Runs an experiment for real, in this process (worker processes come in a later release). */
export async function tune(options: TuneOptions): Promise<TuneRun> {
  const { space, metric, mode } = options;
  validateSpace(space);
  // The experiment's own metric and mode, checked before any default searcher could be blamed for them.
  objectivity(options, "");
  const seed = options.seed ?? 0;
  const executor = new InProcessExecutor({
    trainable: options.trainable,
    seed,
    ...(options.capacity ? { capacity: options.capacity } : {}),
    ...(options.storagePath !== undefined ? { storagePath: options.storagePath } : {}),
  });
  const loop = new TuneLoop({
    searcher: options.searcher ?? defaultSearcher(space, { metric, mode, seed }, options.trials),
    scheduler: options.scheduler ?? new FIFOScheduler(),
    executor,
    metric,
    mode,
    trials: options.trials,
    resources: options.resources ?? { cpu: 1, gpu: 0 },
    ...optionalLoopSettings(options),
  });
  loop.begin();
  await executor.run(() => loop.finished);
  return {
    best: bestTrial(loop.trials, metric, mode, options.scope ?? "last"),
    trials: loop.trials,
    wallSeconds: executor.now(),
    loop,
  };
}

