// Drives one TuneLoop on an executor, the way tune() does, and always closes a ProcessExecutor.
import { FIFOScheduler } from "../../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import type { Executor, Resources, Scheduler, TrialView } from "../../../core/contracts/index.ts";
import { uniform, type Space } from "../../../core/space/index.ts";
import { MaximumIterationStopper } from "../../../core/stoppers/index.ts";
import { TuneLoop } from "../../../core/tune-loop.ts";

export const space: Space = { lr: uniform(0, 1) };

export interface Drive {
  executor: Executor & { run(isFinished: () => boolean): Promise<void>; close?(): Promise<void> };
  metric: string;
  mode: "min" | "max";
  trials: number;
  seed?: number;
  scheduler?: Scheduler;
  maxIterations?: number;
  resources?: Resources;
  checkpointFrequency?: number;
  maxFailures?: number;
  searchSpace?: Space;
}

export async function drive(d: Drive): Promise<TuneLoop> {
  const seed = d.seed ?? 3;
  const s = d.searchSpace ?? space;
  const loop = new TuneLoop({
    searcher: new RandomSearch(s, { metric: d.metric, mode: d.mode, seed }),
    scheduler: d.scheduler ?? new FIFOScheduler(),
    executor: d.executor,
    metric: d.metric,
    mode: d.mode,
    trials: d.trials,
    resources: d.resources ?? { cpu: 1, gpu: 0 },
    stoppers: d.maxIterations === undefined ? [] : [new MaximumIterationStopper(d.maxIterations)],
    ...(d.checkpointFrequency !== undefined ? { checkpointFrequency: d.checkpointFrequency } : {}),
    ...(d.maxFailures !== undefined ? { maxFailures: d.maxFailures } : {}),
  });
  try {
    loop.begin();
    await d.executor.run(() => loop.finished);
  } finally {
    await d.executor.close?.();
  }
  return loop;
}

export const view = (trials: readonly TrialView[], metric: string) =>
  trials.map((t) => ({ id: t.id, config: t.config, status: t.status, values: t.history.map((r) => r.metrics[metric]), error: t.errorMessage }));
