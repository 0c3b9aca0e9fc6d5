/**
 * A closed-form test function with a known global minimum on a box.
 * `evaluate` is pure and allocation-free, so objectives can call it in hot loops.
 */
export interface SyntheticFunction {
  readonly name: string;
  readonly dimension: number;
  /** Inclusive `[low, high]` per coordinate, `dimension` entries. */
  readonly bounds: ReadonlyArray<readonly [number, number]>;
  /** The published global minimum over `bounds`. */
  readonly optimum: number;
  /** Every published global minimiser, as printed in the literature. */
  readonly minimisers: ReadonlyArray<readonly number[]>;
  evaluate(x: ArrayLike<number>): number;
}
