import { isDomain } from "./domain.ts";
import type { Space } from "./types.ts";
import { validateSpace } from "./validate.ts";
import { childPath, isPlainObject } from "./_internals/walk.ts";

/** Grid leaves in depth-first key order. Grids cannot sit inside choice options (validateSpace). */
export function gridLeaves(space: Space): Array<{ readonly path: string; readonly values: readonly unknown[] }> {
  validateSpace(space);
  const leaves: Array<{ path: string; values: readonly unknown[] }> = [];
  const visit = (node: Record<string, unknown>, path: string): void => {
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (isDomain(child)) {
        if (child.type === "grid") leaves.push({ path: childPath(path, key), values: child.values });
      } else if (isPlainObject(child)) {
        visit(child, childPath(path, key));
      }
    }
  };
  visit(space, "");
  return leaves;
}

/**
 * Cartesian product of the grid leaves as dotted path -> value assignments (Ray's
 * BasicVariantGenerator): leaves in depth-first key order, the last one varying fastest.
 * With no grid leaves: `[{}]`. Pass each to `sampleConfig(space, random, assignment)`.
 */
export function expandGrid(space: Space): Array<Record<string, unknown>> {
  let assignments: Array<Record<string, unknown>> = [{}];
  for (const { path, values } of gridLeaves(space)) {
    assignments = assignments.flatMap((assignment) => values.map((value) => ({ ...assignment, [path]: value })));
  }
  return assignments;
}

/** Number of grid variants; a run has countGridVariants(space) * numSamples trials. */
export function countGridVariants(space: Space): number {
  return gridLeaves(space).reduce((product, { values }) => product * values.length, 1);
}
