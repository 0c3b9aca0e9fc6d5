import { SearchSpaceError } from "./errors.ts";
import type { Uniform01 } from "./random.ts";
import { sampleChoiceIndex, sampleIndex, sampleNumeric } from "./sample-domain.ts";
import type { Config, Space } from "./types.ts";
import { validateSpace } from "./validate.ts";
import { resolveSpace, type LeafResolver } from "./_internals/resolve.ts";
import type { NumericDomain } from "./any-domain.ts";
import type { CategoricalDomain } from "./categorical-domain.ts";
import type { GridDomain } from "./grid-domain.ts";

export interface SampleOptions {
  /**
   * Sample grid leaves missing from the assignment uniformly, like a choice (for searchers that
   * treat a grid as a categorical), instead of throwing.
   * @defaultValue false
   */
  gridAsChoice?: boolean;
}

/**
 * Samples one config. Grid leaves take their value from `gridAssignment` (dotted path -> value,
 * one entry of `expandGrid(space)`); without one, a space with grid leaves is an error.
 * sampleFrom leaves run last, in depth-first key order, and get the same `random`.
 */
export function sampleConfig(
  space: Space,
  random: Uniform01,
  gridAssignment?: Readonly<Record<string, unknown>>,
  options: SampleOptions = {},
): Config {
  validateSpace(space);
  // One resolver object per call, with its methods on the prototype: a closure per
  // sample was a measurable part of a trial's fixed cost in big simulations.
  const sampler = new SamplingResolver(random, gridAssignment, options.gridAsChoice === true);
  const config = resolveSpace(space, sampler, random);
  if (gridAssignment !== undefined) {
    for (const path of Object.keys(gridAssignment)) {
      if (sampler.assigned?.has(path) !== true) throw new SearchSpaceError(path, "gridAssignment names no grid leaf of the space");
    }
  }
  return config;
}

/** Leaf values drawn from `random`; grid leaves from the assignment (or drawn, with gridAsChoice). */
class SamplingResolver implements LeafResolver {
  /** Grid paths the assignment supplied (made on the first grid leaf: most spaces have none). */
  assigned: Set<string> | undefined;

  constructor(
    private readonly random: Uniform01,
    private readonly gridAssignment: Readonly<Record<string, unknown>> | undefined,
    private readonly gridAsChoice: boolean,
  ) {}

  value(domain: NumericDomain | GridDomain<unknown>, path: string): unknown {
    if (domain.type !== "grid") return sampleNumeric(domain, this.random);
    const assignment = this.gridAssignment;
    if (assignment === undefined || !Object.hasOwn(assignment, path)) {
      if (this.gridAsChoice) return domain.values[sampleIndex(domain.values.length, this.random)];
      throw new SearchSpaceError(path, "grid values are not sampled randomly; use expandGrid first and pass one of its assignments");
    }
    (this.assigned ??= new Set()).add(path);
    return assignment[path];
  }

  choose(domain: CategoricalDomain<unknown>): number {
    return sampleChoiceIndex(domain, this.random);
  }
}
