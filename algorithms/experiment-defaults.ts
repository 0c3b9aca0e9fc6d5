import type { ExperimentOptions } from "../core/experiment/index.ts";
import type { Scheduler, Searcher } from "../core/contracts/index.ts";
import { FIFOScheduler } from "./schedulers/index.ts";
import { defaultSearcher } from "./searchers/index.ts";

/** The searcher and scheduler an experiment runs when its options name none: Ray Tune's defaults (grid or random; FIFO). */
export function defaultAlgorithms(options: ExperimentOptions & { seed: number }): { searcher: Searcher; scheduler: Scheduler } {
  const { space, metric, mode, seed, trials } = options;
  return {
    searcher: options.searcher ?? defaultSearcher(space, { metric, mode, seed }, trials),
    scheduler: options.scheduler ?? new FIFOScheduler(),
  };
}
