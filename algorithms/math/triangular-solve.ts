/** Triangular solves with a lower Cholesky factor L (flat row-major n x n). */

/** Solves L v = b in place (L lower triangular, flat n x n). */
export function forwardSolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    const row = i * n;
    for (let j = 0; j < i; j++) s -= (l[row + j] as number) * (b[j] as number);
    b[i] = s / (l[row + i] as number);
  }
  return b;
}

/** Solves L^T v = b in place. */
export function backSolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let j = i + 1; j < n; j++) s -= (l[j * n + i] as number) * (b[j] as number);
    b[i] = s / (l[i * n + i] as number);
  }
  return b;
}
