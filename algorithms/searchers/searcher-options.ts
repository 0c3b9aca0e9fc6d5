import { integerOption, objectivity, OptionError, type Objectivity } from "../../core/contracts/index.ts";
import type { Mode } from "../../core/contracts/index.ts";

/** Options every searcher takes (DESIGN: `new X(space, { metric, mode, seed, ...options })`). */
export interface SearcherOptions {
  metric: string;
  mode: Mode;
  /** @defaultValue 0 */
  seed?: number;
}

export interface ResolvedSearcherOptions extends Objectivity {
  readonly seed: number;
}

export function resolveSearcherOptions(options: SearcherOptions, owner: string): ResolvedSearcherOptions {
  if (typeof options !== "object" || options === null) {
    throw new OptionError(owner, "needs an options object { metric, mode, seed }");
  }
  const seed = integerOption(`${owner}.seed`, options.seed ?? 0);
  return { ...objectivity(options, owner), seed };
}

export { positiveInteger } from "../../core/errors/index.ts";
