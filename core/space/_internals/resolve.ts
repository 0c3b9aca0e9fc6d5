import type { NumericDomain } from "../any-domain.ts";
import type { CategoricalDomain } from "../categorical-domain.ts";
import { isDomain } from "../domain.ts";
import type { FunctionDomain } from "../function-domain.ts";
import type { GridDomain } from "../grid-domain.ts";
import type { Uniform01 } from "../random.ts";
import type { Config } from "../types.ts";
import { childPath, isPlainObject, isSubSpace, optionPath } from "./walk.ts";

/** Where leaf values come from: a random source when sampling, a vector when decoding. */
export interface LeafResolver {
  value(domain: NumericDomain | GridDomain<unknown>, path: string): unknown;
  /** Index of the option a choice takes; a sub-space option is then resolved recursively. */
  choose(domain: CategoricalDomain<unknown>, path: string): number;
}

interface PendingFunction {
  readonly target: Config;
  readonly key: string;
  readonly domain: FunctionDomain<unknown>;
}

/**
 * Resolves a (validated) space in two phases, as Ray does: every non-function leaf first, then
 * the sampleFrom leaves in depth-first key order, each seeing the config resolved so far.
 */
export function resolveSpace(space: Record<string, unknown>, resolver: LeafResolver, random: Uniform01): Config {
  const pending: PendingFunction[] = [];
  const config = resolveObject(space, "", resolver, pending);
  for (const { target, key, domain } of pending) target[key] = domain.fn(config, random);
  return config;
}

function resolveObject(space: Record<string, unknown>, path: string, resolver: LeafResolver, pending: PendingFunction[]): Config {
  const out: Config = {};
  for (const key of Object.keys(space)) {
    const node = space[key];
    if (isDomain(node) && node.type === "function") {
      out[key] = undefined; // keeps key order; filled in phase two
      pending.push({ target: out, key, domain: node });
    } else {
      out[key] = resolveNode(node, childPath(path, key), resolver, pending);
    }
  }
  return out;
}

function resolveNode(node: unknown, path: string, resolver: LeafResolver, pending: PendingFunction[]): unknown {
  if (isDomain(node)) {
    if (node.type === "function") throw new Error("unreachable: function leaves are deferred");
    if (node.type !== "categorical") return resolver.value(node, path);
    const index = resolver.choose(node, path);
    const option = node.options[index];
    return isSubSpace(option) ? resolveObject(option, optionPath(path, index), resolver, pending) : option;
  }
  return isPlainObject(node) ? resolveObject(node, path, resolver, pending) : node;
}
