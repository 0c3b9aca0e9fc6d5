import { isDomain } from "../../../core/space/index.ts";
import type { Space } from "../../../core/space/index.ts";
import type { MutationSpec } from "./mutations.ts";

/**
 * PBT mutations for every top-level Domain of a search space (the CLI's and the
 * benchmarks' default): each hyperparameter is resampled from its own domain or
 * perturbed by the factors. Constants and nested objects are left alone.
 */
export function mutationsFromSpace(space: Space): MutationSpec {
  const spec: Record<string, MutationSpec[string]> = {};
  for (const [key, node] of Object.entries(space)) {
    if (isDomain(node) && node.type !== "function" && node.type !== "grid") spec[key] = node;
  }
  return spec;
}

/** PB2 bounds [min, max] for every top-level float or int Domain of a space. */
export function boundsFromSpace(space: Space): Record<string, readonly [number, number]> {
  const bounds: Record<string, readonly [number, number]> = {};
  for (const [key, node] of Object.entries(space)) {
    if (isDomain(node) && (node.type === "float" || node.type === "int")) bounds[key] = [node.min, node.max];
  }
  return bounds;
}

/** Keys of top-level int Domains (PB2 rounds their values). */
export function integerKeysFromSpace(space: Space): string[] {
  return Object.entries(space)
    .filter(([, node]) => isDomain(node) && node.type === "int")
    .map(([key]) => key);
}
