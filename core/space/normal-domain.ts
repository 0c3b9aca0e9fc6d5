import { Domain } from "./domain.ts";
import { checkedDomain } from "./_internals/check-domain.ts";

/** Normal(mean, sd), optionally rounded to a multiple of q (unbounded). */
export class NormalDomain extends Domain<number> {
  readonly type = "normal";

  constructor(
    readonly name: "randn" | "qrandn",
    readonly mean: number,
    readonly sd: number,
    readonly q: number | null,
  ) {
    super();
    Object.freeze(this);
  }
}

export function randn(mean = 0, sd = 1): NormalDomain {
  return checkedDomain(new NormalDomain("randn", mean, sd, null));
}

export function qrandn(mean: number, sd: number, q: number): NormalDomain {
  return checkedDomain(new NormalDomain("qrandn", mean, sd, q));
}
