import { FIFOScheduler } from "../algorithms/schedulers/index.ts";
import { GridSearch, RandomSearch } from "../algorithms/searchers/index.ts";
import type { Mode, Scheduler, Searcher } from "../core/contracts/index.ts";
import { countGridVariants, toGridSpace, type Space } from "../core/space/index.ts";

/** What the CLI knows of a run when it builds the algorithms. */
export interface AlgorithmContext {
  space: Space;
  metric: string;
  mode: Mode;
  seed: number;
  trials: number;
  maxIterations: number;
}

/**
 * `--searcher` names. `grid` on a continuous benchmark lays an even grid of
 * k points per dimension with k^d <= trials (at least 2), then repeats it to fill `--trials`.
 */
export const searcherFactories = {
  random: (c: AlgorithmContext): Searcher => new RandomSearch(c.space, { metric: c.metric, mode: c.mode, seed: c.seed }),
  grid: (c: AlgorithmContext): Searcher => {
    const dims = Object.keys(c.space).length;
    const points = Math.max(2, Math.floor(c.trials ** (1 / Math.max(1, dims)) + 1e-9));
    const gridSpace = toGridSpace(c.space, points);
    const numSamples = Math.max(1, Math.ceil(c.trials / countGridVariants(gridSpace)));
    return new GridSearch(gridSpace, { metric: c.metric, mode: c.mode, seed: c.seed, numSamples });
  },
} satisfies Record<string, (c: AlgorithmContext) => Searcher>;

/** `--scheduler` names. */
export const schedulerFactories = {
  fifo: (_c: AlgorithmContext): Scheduler => new FIFOScheduler(),
} satisfies Record<string, (c: AlgorithmContext) => Scheduler>;

export type SearcherName = keyof typeof searcherFactories;
export type SchedulerName = keyof typeof schedulerFactories;
export const searcherNames = Object.keys(searcherFactories) as SearcherName[];
export const schedulerNames = Object.keys(schedulerFactories) as SchedulerName[];
