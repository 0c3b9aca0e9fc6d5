import type { SyntheticFunction } from "./synthetic-function.ts";

// Constants of the standard Branin-Hoo form (Dixon & Szego 1978; SFU library).
const A = 1;
const B = 5.1 / (4 * Math.PI * Math.PI);
const C = 5 / Math.PI;
const R = 6;
const S = 10;
const T = 1 / (8 * Math.PI);

/** Branin-Hoo on x1 in [-5, 10], x2 in [0, 15]; three global minima of 0.397887... */
export const branin: SyntheticFunction = {
  name: "branin",
  dimension: 2,
  bounds: [
    [-5, 10],
    [0, 15],
  ],
  optimum: 0.397887357729738,
  minimisers: [
    [-Math.PI, 12.275],
    [Math.PI, 2.275],
    [9.42478, 2.475],
  ],
  evaluate(x: ArrayLike<number>): number {
    const x1 = x[0] as number;
    const x2 = x[1] as number;
    const inner = x2 - B * x1 * x1 + C * x1 - R;
    return A * inner * inner + S * (1 - T) * Math.cos(x1) + S;
  },
};
