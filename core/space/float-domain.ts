import { Domain } from "./domain.ts";
import { multipleIndexRange, clamp } from "./_internals/quantize.ts";
import { checkedDomain } from "./_internals/check-domain.ts";

export type FloatDomainName = "uniform" | "quniform" | "loguniform" | "qloguniform";

/**
 * A real-valued domain. Without q the upper bound is exclusive: values lie in [low, high).
 * With q, values are multiples of q inside [low, high] (upper bound inclusive), i.e. in
 * [min, max]. Log domains are uniform in log space; `base` does not change the distribution
 * and is kept for fidelity to Ray.
 */
export class FloatDomain extends Domain<number> {
  readonly type = "float";
  /** Smallest value a sample can take (low, or the first in-bounds multiple of q). */
  readonly min: number;
  /** Supremum of the values (high, or the last in-bounds multiple of q, inclusive). */
  readonly max: number;

  constructor(
    readonly name: FloatDomainName,
    readonly low: number,
    readonly high: number,
    readonly log: boolean,
    /** Log base for log domains, null otherwise. */
    readonly base: number | null,
    readonly q: number | null,
  ) {
    super();
    if (q === null) {
      this.min = low;
      this.max = high;
    } else {
      const { kMin, kMax } = multipleIndexRange(low, high, q);
      this.min = clamp(kMin * q, low, high);
      this.max = clamp(kMax * q, low, high);
    }
    Object.freeze(this);
  }
}

/** Float uniform in [low, high). */
export function uniform(low: number, high: number): FloatDomain {
  return checkedDomain(new FloatDomain("uniform", low, high, false, null, null));
}

/** Uniform, rounded to the nearest multiple of q inside [low, high] (upper bound inclusive). */
export function quniform(low: number, high: number, q: number): FloatDomain {
  return checkedDomain(new FloatDomain("quniform", low, high, false, null, q));
}

/** Log-uniform in [low, high); needs 0 < low < high. */
export function loguniform(low: number, high: number, base = 10): FloatDomain {
  return checkedDomain(new FloatDomain("loguniform", low, high, true, base, null));
}

/** Log-uniform, rounded to the nearest multiple of q inside [low, high]. */
export function qloguniform(low: number, high: number, q: number, base = 10): FloatDomain {
  return checkedDomain(new FloatDomain("qloguniform", low, high, true, base, q));
}
