/**
 * Stationary covariance kernels with ARD length scales, over points given as rows of a
 * flat Float64Array (n x d, row-major). Pure: no state, no randomness. Shared by GP-BO
 * (algorithms/searchers/gp) and population-based schedulers (PB2).
 */
export type KernelName = "matern52" | "squared-exponential";

export interface KernelParameters {
  readonly kernel: KernelName;
  /** One per input dimension (ARD). */
  readonly lengthscales: Float64Array;
  /** Signal variance s^2: k(x, x) = s^2. */
  readonly signalVariance: number;
}

const SQRT5 = Math.sqrt(5);

/** Scaled squared distance sum_d ((a_d - b_d) / l_d)^2 between row i of A and row j of B. */
export function scaledSquaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, lengthscales: Float64Array): number {
  const d = lengthscales.length;
  let total = 0;
  const ai = i * d;
  const bj = j * d;
  for (let k = 0; k < d; k++) {
    const diff = ((a[ai + k] as number) - (b[bj + k] as number)) / (lengthscales[k] as number);
    total += diff * diff;
  }
  return total;
}

/** k as a function of the scaled squared distance r^2. */
export function kernelOfDistance(kernel: KernelName, r2: number, signalVariance: number): number {
  if (kernel === "squared-exponential") return signalVariance * Math.exp(-0.5 * r2);
  const r = Math.sqrt(r2);
  return signalVariance * (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/**
 * dk / d(log l_k) = g(r) * ((a_k - b_k) / l_k)^2, and this returns g(r): for Matern 5/2
 * s^2 (5/3)(1 + sqrt5 r) e^{-sqrt5 r}, for the squared exponential k itself.
 */
export function lengthscaleGradientFactor(kernel: KernelName, r2: number, signalVariance: number): number {
  if (kernel === "squared-exponential") return signalVariance * Math.exp(-0.5 * r2);
  const r = Math.sqrt(r2);
  return signalVariance * (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/** The n x n matrix K(X, X) (symmetric by construction: each pair is computed once). */
export function kernelMatrix(x: Float64Array, n: number, params: KernelParameters): Float64Array {
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    k[i * n + i] = params.signalVariance;
    for (let j = 0; j < i; j++) {
      const v = kernelOfDistance(params.kernel, scaledSquaredDistance(x, i, x, j, params.lengthscales), params.signalVariance);
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
  }
  return k;
}

/** k(X_i, z) for every row i of X (n rows), z being row `row` of Z. */
export function kernelVector(x: Float64Array, n: number, z: Float64Array, row: number, params: KernelParameters, out = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    out[i] = kernelOfDistance(params.kernel, scaledSquaredDistance(x, i, z, row, params.lengthscales), params.signalVariance);
  }
  return out;
}
