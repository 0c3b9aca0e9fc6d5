import { HARTMANN_ALPHA, hartmann } from "./_hartmann.ts";
import type { SyntheticFunction } from "./synthetic-function.ts";

// Dixon & Szego (1978), as tabulated in the SFU virtual library.
const A6 = new Float64Array([
  10, 3, 17, 3.5, 1.7, 8, 0.05, 10, 17, 0.1, 8, 14, 3, 3.5, 1.7, 10, 17, 8, 17, 8, 0.05, 10, 0.1, 14,
]);
const P6 = new Float64Array(
  [
    1312, 1696, 5569, 124, 8283, 5886, 2329, 4135, 8307, 3736, 1004, 9991, 2348, 1451, 3522, 2883, 3047, 6650,
    4047, 8828, 8732, 5743, 1091, 381,
  ].map((v) => v * 1e-4),
);

/** Hartmann 6-D on [0, 1]^6: six local minima, one global of -3.32236... */
export const hartmann6: SyntheticFunction = {
  name: "hartmann6",
  dimension: 6,
  bounds: Array.from({ length: 6 }, () => [0, 1] as const),
  optimum: -3.32236801141551,
  minimisers: [[0.20168952, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730054]],
  evaluate(x: ArrayLike<number>): number {
    return hartmann(x, 6, HARTMANN_ALPHA, A6, P6);
  },
};
