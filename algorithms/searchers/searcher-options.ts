import { OptionError, objectivity, type Objectivity } from "../../core/contracts/index.ts";
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
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new OptionError(`${owner}.seed`, `must be an integer, got ${String(seed)}`);
  return { ...objectivity(options, owner), seed };
}

export function positiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new OptionError(field, `must be an integer >= 1, got ${value}`);
  return value;
}
