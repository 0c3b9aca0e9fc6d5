import { isDomain } from "./domain.ts";
import type { AnyDomain } from "./any-domain.ts";
import { SearchSpaceError } from "./errors.ts";
import type { FloatDomain } from "./float-domain.ts";
import { GridDomain } from "./grid-domain.ts";
import type { IntDomain } from "./int-domain.ts";
import type { Space } from "./types.ts";
import { validateSpace } from "./validate.ts";
import { clamp, snapToMultiple } from "./_internals/quantize.ts";
import { childPath, isPlainObject, isSubSpace } from "./_internals/walk.ts";

/**
 * Replaces every bounded numeric Domain by a grid of `pointsPerDimension` evenly spaced points
 * (log-spaced for log domains; both bounds included, a single point is the midpoint; quantized
 * and integer points snapped to valid values and de-duplicated), and every choice of constants
 * by a grid over its options. randn, conditional choices, grids and sampleFrom are unchanged.
 */
export function toGridSpace(space: Space, pointsPerDimension: number): Space {
  validateSpace(space);
  if (!(Number.isInteger(pointsPerDimension) && pointsPerDimension >= 1)) {
    throw new SearchSpaceError("", `toGridSpace needs an integer pointsPerDimension >= 1, got ${pointsPerDimension}`);
  }
  return mapObject(space, pointsPerDimension);
}

function mapObject(node: Record<string, unknown>, points: number): Space {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(node)) {
    const child = node[key];
    if (isDomain(child)) out[key] = toGrid(child, points);
    else out[key] = isPlainObject(child) ? mapObject(child, points) : child;
  }
  return out;
}

function toGrid(domain: AnyDomain, points: number): AnyDomain {
  switch (domain.type) {
    case "float":
      return new GridDomain(unique(spaced(domain.low, domain.high, domain.log, points).map((x) => snapFloat(domain, x))));
    case "int":
      return new GridDomain(unique(spaced(domain.min, domain.max, domain.log, points).map((x) => snapInt(domain, x))));
    case "categorical":
      return domain.options.some(isSubSpace) ? domain : new GridDomain(domain.options);
    default:
      return domain;
  }
}

function spaced(low: number, high: number, log: boolean, points: number): number[] {
  const [from, to] = log ? [Math.log(low), Math.log(high)] : [low, high];
  const at = (t: number): number => (log ? Math.exp(from + t * (to - from)) : from + t * (to - from));
  if (points === 1) return [at(0.5)];
  // Exact endpoints: exp(log(x)) need not give x back.
  return Array.from({ length: points }, (_, i) => (i === 0 ? low : i === points - 1 ? high : at(i / (points - 1))));
}

function snapFloat(domain: FloatDomain, x: number): number {
  return domain.q === null ? x : snapToMultiple(x, domain.q, domain.low, domain.high);
}

function snapInt(domain: IntDomain, x: number): number {
  return clamp(domain.min + Math.round((x - domain.min) / domain.q) * domain.q, domain.min, domain.max);
}

function unique(values: number[]): number[] {
  return [...new Set(values)];
}

/**
 * Dotted paths of the leaves `toGridSpace` turns into grids of `pointsPerDimension`
 * points: float and int ranges outside choice options. A grid search over a space
 * with any of these needs a resolution; without one it has nothing to enumerate.
 */
export function rangeLeafPaths(space: Space): string[] {
  validateSpace(space);
  const paths: string[] = [];
  const visit = (node: Record<string, unknown>, path: string): void => {
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (isDomain(child)) {
        if (child.type === "float" || child.type === "int") paths.push(childPath(path, key));
      } else if (isPlainObject(child)) {
        visit(child, childPath(path, key));
      }
    }
  };
  visit(space, "");
  return paths;
}
