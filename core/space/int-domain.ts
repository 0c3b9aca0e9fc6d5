import { Domain } from "./domain.ts";
import { checkedDomain } from "./_internals/check-domain.ts";

export type IntDomainName = "randint" | "qrandint" | "lograndint" | "qlograndint";

/**
 * An integer domain. Its values are min, min + q, ..., max (`count` of them):
 * - randint / lograndint: high is exclusive (Ray), so min = low, max = high - 1, q = 1;
 * - qrandint / qlograndint: quantization makes high inclusive; values are the multiples of q
 *   inside [low, high].
 * Log domains put log-uniform mass on the values; `base` does not change the distribution.
 */
export class IntDomain extends Domain<number> {
  readonly type = "int";
  readonly min: number;
  readonly max: number;
  readonly count: number;

  constructor(
    readonly name: IntDomainName,
    readonly low: number,
    readonly high: number,
    readonly log: boolean,
    readonly base: number | null,
    readonly q: number,
    readonly highInclusive: boolean,
  ) {
    super();
    if (highInclusive) {
      this.min = Math.ceil(low / q) * q;
      this.max = Math.floor(high / q) * q;
    } else {
      this.min = low;
      this.max = high - 1;
    }
    this.count = (this.max - this.min) / q + 1;
    Object.freeze(this);
  }
}

/** Integer in [low, high): high is exclusive, as in Ray. */
export function randint(low: number, high: number): IntDomain {
  return checkedDomain(new IntDomain("randint", low, high, false, null, 1, false));
}

/** Integer multiple of q in [low, high], both bounds inclusive. */
export function qrandint(low: number, high: number, q = 1): IntDomain {
  return checkedDomain(new IntDomain("qrandint", low, high, false, null, q, true));
}

/** Integer log-uniform in [low, high) (floor of a log-uniform float); needs 0 < low < high. */
export function lograndint(low: number, high: number, base = 10): IntDomain {
  return checkedDomain(new IntDomain("lograndint", low, high, true, base, 1, false));
}

/** Log-uniform rounded to a multiple of q inside [low, high], both bounds inclusive. */
export function qlograndint(low: number, high: number, q: number, base = 10): IntDomain {
  return checkedDomain(new IntDomain("qlograndint", low, high, true, base, q, true));
}
