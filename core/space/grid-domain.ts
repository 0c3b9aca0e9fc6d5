import { Domain } from "./domain.ts";
import type { Infer } from "./types.ts";
import { checkedDomain } from "./_internals/check-domain.ts";

/** Grid-search values (Ray's grid_search): expanded by `expandGrid`, never sampled. */
export class GridDomain<T> extends Domain<T> {
  readonly type = "grid";
  readonly name = "grid";
  readonly values: readonly unknown[];

  constructor(values: readonly unknown[]) {
    super();
    this.values = Array.isArray(values) ? Object.freeze([...values]) : values;
    Object.freeze(this);
  }
}

export function grid<const V extends readonly unknown[]>(values: V): GridDomain<Infer<V[number]>> {
  return checkedDomain(new GridDomain(values));
}
