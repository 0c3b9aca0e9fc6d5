/**
 * The Hartmann family: f(x) = -sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2).
 * Matrices are stored row-major in flat Float64Arrays so evaluation allocates nothing.
 */
export function hartmann(
  x: ArrayLike<number>,
  dimension: number,
  alpha: Float64Array,
  a: Float64Array,
  p: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < alpha.length; i++) {
    let exponent = 0;
    const row = i * dimension;
    for (let j = 0; j < dimension; j++) {
      const diff = (x[j] as number) - (p[row + j] as number);
      exponent += (a[row + j] as number) * diff * diff;
    }
    total += (alpha[i] as number) * Math.exp(-exponent);
  }
  return -total;
}

/** The alpha weights shared by Hartmann3 and Hartmann6. */
export const HARTMANN_ALPHA = new Float64Array([1.0, 1.2, 3.0, 3.2]);
