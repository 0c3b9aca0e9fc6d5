import { Domain } from "./domain.ts";
import type { Uniform01 } from "./random.ts";
import type { Config } from "./types.ts";
import { checkedDomain } from "./_internals/check-domain.ts";

/**
 * A value computed from the rest of the config (Ray's sample_from). It runs after every other
 * leaf of the whole config is resolved, in depth-first key order, and sees the partially
 * resolved config: sampleFrom leaves not yet evaluated read as undefined.
 */
export type SampleFromFn<T> = (config: Config, random: Uniform01) => T;

export class FunctionDomain<T> extends Domain<T> {
  readonly type = "function";
  readonly name = "sampleFrom";

  constructor(readonly fn: SampleFromFn<T>) {
    super();
    Object.freeze(this);
  }
}

export function sampleFrom<T>(fn: SampleFromFn<T>): FunctionDomain<T> {
  return checkedDomain(new FunctionDomain(fn));
}
