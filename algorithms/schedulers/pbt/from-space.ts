import { isDomain } from "../../../core/space/index.ts";
import type { Space } from "../../../core/space/index.ts";
import type { Pb2Bound } from "../pb2/hyperparams.ts";
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

/**
 * PB2 bounds for every top-level float or int Domain of a space: [min, max], or
 * { low: min, high: max, log: true } for a log domain (loguniform, qloguniform,
 * lograndint, qlograndint), which PB2 then models in log space.
 */
export function boundsFromSpace(space: Space): Record<string, Pb2Bound> {
  const bounds: Record<string, Pb2Bound> = {};
  for (const [key, node] of Object.entries(space)) {
    if (isDomain(node) && (node.type === "float" || node.type === "int")) {
      bounds[key] = node.log ? { low: node.min, high: node.max, log: true } : [node.min, node.max];
    }
  }
  return bounds;
}

/** Keys of top-level int Domains (PB2 rounds their values). */
export function integerKeysFromSpace(space: Space): string[] {
  return Object.entries(space)
    .filter(([, node]) => isDomain(node) && node.type === "int")
    .map(([key]) => key);
}
