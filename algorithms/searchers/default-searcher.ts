import type { Searcher } from "../../core/contracts/index.ts";
import { countGridVariants, gridLeaves, type Space } from "../../core/space/index.ts";
import { GridSearch } from "./grid-search.ts";
import { RandomSearch } from "./random-search.ts";
import type { SearcherOptions } from "./searcher-options.ts";

/**
 * What runs when the user names no searcher, as in Ray Tune: a space with grid
 * leaves is expanded (repeated to cover `trials`), anything else is sampled at random.
 */
export function defaultSearcher(space: Space, options: SearcherOptions, trials: number): Searcher {
  if (gridLeaves(space).length === 0) return new RandomSearch(space, options);
  const numSamples = Math.max(1, Math.ceil(trials / countGridVariants(space)));
  return new GridSearch(space, { ...options, numSamples });
}
