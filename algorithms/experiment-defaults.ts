import type { CheckedExperimentOptions } from "../core/experiment/index.ts";
import { OptionError } from "../core/contracts/index.ts";
import { gridLeaves } from "../core/space/index.ts";
import type { Scheduler, Searcher } from "../core/contracts/index.ts";
import { FIFOScheduler } from "./schedulers/index.ts";
import { defaultSearcher } from "./searchers/index.ts";

/** The searcher and scheduler an experiment runs when its options name none: Ray Tune's defaults (grid or random; FIFO). */
export function defaultAlgorithms(options: CheckedExperimentOptions): { searcher: Searcher; scheduler: Scheduler } {
  const { space, metric, mode, seed, trials } = options;
  if (!options.searcher && trials === Number.POSITIVE_INFINITY && gridLeaves(space).length > 0) {
    throw new OptionError("trials", "is needed with a grid space under a budget: the grid search repeats the grid to cover it");
  }
  return {
    searcher: options.searcher ?? defaultSearcher(space, { metric, mode, seed }, trials),
    scheduler: options.scheduler ?? new FIFOScheduler(),
  };
}
