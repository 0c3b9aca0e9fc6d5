import { HARTMANN_ALPHA, hartmann } from "./_hartmann.ts";
import type { SyntheticFunction } from "./synthetic-function.ts";

// Dixon & Szego (1978), as tabulated in the SFU virtual library.
const A3 = new Float64Array([3.0, 10, 30, 0.1, 10, 35, 3.0, 10, 30, 0.1, 10, 35]);
const P3 = new Float64Array(
  [3689, 1170, 2673, 4699, 4387, 7470, 1091, 8732, 5547, 381, 5743, 8828].map((v) => v * 1e-4),
);

/** Hartmann 3-D on [0, 1]^3: four local minima, one global of -3.86278... */
export const hartmann3: SyntheticFunction = {
  name: "hartmann3",
  dimension: 3,
  bounds: [
    [0, 1],
    [0, 1],
    [0, 1],
  ],
  optimum: -3.86278214782076,
  minimisers: [[0.114614, 0.555649, 0.852547]],
  evaluate(x: ArrayLike<number>): number {
    return hartmann(x, 3, HARTMANN_ALPHA, A3, P3);
  },
};
