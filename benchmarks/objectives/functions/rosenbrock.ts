import { OptionError } from "../../../core/contracts/index.ts";
import type { SyntheticFunction } from "./synthetic-function.ts";

/** Rosenbrock's valley in `dimension` >= 2 dimensions on [-5, 10]^d; minimum 0 at (1, ..., 1). */
export function rosenbrock(dimension: number): SyntheticFunction {
  if (!Number.isInteger(dimension) || dimension < 2) {
    throw new OptionError("rosenbrock.dimension", `must be an integer >= 2, got ${dimension}`);
  }
  return {
    name: `rosenbrock${dimension}`,
    dimension,
    bounds: Array.from({ length: dimension }, () => [-5, 10] as const),
    optimum: 0,
    minimisers: [Array.from({ length: dimension }, () => 1)],
    evaluate(x: ArrayLike<number>): number {
      let total = 0;
      for (let i = 0; i < dimension - 1; i++) {
        const xi = x[i] as number;
        const next = x[i + 1] as number;
        const valley = next - xi * xi;
        const offset = 1 - xi;
        total += 100 * valley * valley + offset * offset;
      }
      return total;
    },
  };
}
