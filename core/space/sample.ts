import { SearchSpaceError } from "./errors.ts";
import type { Uniform01 } from "./random.ts";
import { sampleChoiceIndex, sampleIndex, sampleNumeric } from "./sample-domain.ts";
import type { Config, Space } from "./types.ts";
import { validateSpace } from "./validate.ts";
import { resolveSpace } from "./_internals/resolve.ts";

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
  const assigned = new Set<string>();
  const config = resolveSpace(
    space,
    {
      value(domain, path) {
        if (domain.type !== "grid") return sampleNumeric(domain, random);
        if (gridAssignment === undefined || !Object.hasOwn(gridAssignment, path)) {
          if (options.gridAsChoice === true) return domain.values[sampleIndex(domain.values.length, random)];
          throw new SearchSpaceError(path, "grid values are not sampled randomly; use expandGrid first and pass one of its assignments");
        }
        assigned.add(path);
        return gridAssignment[path];
      },
      choose: (domain) => sampleChoiceIndex(domain, random),
    },
    random,
  );
  for (const path of Object.keys(gridAssignment ?? {})) {
    if (!assigned.has(path)) throw new SearchSpaceError(path, "gridAssignment names no grid leaf of the space");
  }
  return config;
}
