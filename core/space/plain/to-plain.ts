import type { AnyDomain } from "../any-domain.ts";
import { isDomain } from "../domain.ts";
import type { Space } from "../types.ts";
import { isPlainObject } from "../_internals/walk.ts";
import { CHOICE, GRID_SEARCH } from "./domain-forms.ts";

/**
 * Renders a space in the file DSL, the inverse of spaceFromPlain: `loguniform(1e-4, 0.1)`
 * becomes `{ loguniform: [0.0001, 0.1] }`. Defaults are left out (a log base of 10, qrandint's
 * q of 1), so a file's space renders as it was written. A sampleFrom function has no file
 * form and renders as `{ sample_from: "<function>" }`, which spaceFromPlain rejects.
 */
export function spaceToPlain(space: Space): Record<string, unknown> {
  return renderObject(space);
}

function renderObject(object: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) out[key] = renderNode(value);
  return out;
}

function renderNode(node: unknown): unknown {
  if (isDomain(node)) return renderDomain(node);
  if (Array.isArray(node)) return node.map(renderNode);
  if (isPlainObject(node)) return renderObject(node);
  return node;
}

function withBase(args: number[], base: number | null): number[] {
  return base === null || base === 10 ? args : [...args, base];
}

function renderDomain(domain: AnyDomain): Record<string, unknown> {
  switch (domain.type) {
    case "float": {
      const args = domain.q === null ? [domain.low, domain.high] : [domain.low, domain.high, domain.q];
      return { [domain.name]: domain.log ? withBase(args, domain.base) : args };
    }
    case "int": {
      const args = domain.name === "randint" || domain.name === "lograndint" || (domain.name === "qrandint" && domain.q === 1) ? [domain.low, domain.high] : [domain.low, domain.high, domain.q];
      return { [domain.name]: domain.log ? withBase(args, domain.base) : args };
    }
    case "normal":
      return { [domain.name]: domain.q === null ? [domain.mean, domain.sd] : [domain.mean, domain.sd, domain.q] };
    case "categorical":
      return { [CHOICE]: domain.options.map(renderNode) };
    case "grid":
      return { [GRID_SEARCH]: domain.values.map(renderNode) };
    case "function":
      return { sample_from: "<function>" };
  }
}
