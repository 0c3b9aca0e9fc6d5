import { Domain } from "./domain.ts";
import type { Infer } from "./types.ts";
import { checkedDomain } from "./_internals/check-domain.ts";

/**
 * Uniform over `options`. An option that is a plain object containing at least one Domain is a
 * conditional sub-space: choosing it samples it recursively. Other options are constants.
 */
export class CategoricalDomain<T> extends Domain<T> {
  readonly type = "categorical";
  readonly name = "choice";
  readonly options: readonly unknown[];

  constructor(options: readonly unknown[]) {
    super();
    // Copy so later mutation of the caller's array cannot change the space; a non-array is
    // kept as is for validateSpace to report with its path.
    this.options = Array.isArray(options) ? Object.freeze([...options]) : options;
    Object.freeze(this);
  }
}

export function choice<const O extends readonly unknown[]>(options: O): CategoricalDomain<Infer<O[number]>> {
  return checkedDomain(new CategoricalDomain(options));
}
