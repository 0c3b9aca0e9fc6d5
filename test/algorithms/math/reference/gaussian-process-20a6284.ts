// Test-only: algorithms/math/gaussian-process.ts as of 20a6284 (before round 4 of issue 14),
// the reference the faster code must match bit for bit. Not used by the product.
import {
  kernelMatrix,
  kernelVector,
  type KernelName,
  type KernelParameters,
} from "../../../../algorithms/math/kernels.ts";

/**
 * Exact Gaussian-process regression with a zero prior mean, pure and deterministic:
 * `fitGaussianProcess` conditions on data for fixed hyperparameters (Cholesky as
 * ml-matrix computes it, bit for bit); `logMarginalLikelihood` returns the LML and its gradient in log space;
 * `optimizeHyperparameters` maximises it by Adam from given starting points.
 * Inputs are rows of a flat Float64Array (n x d). Costs: a fit is O(n^3), a prediction
 * O(n^2) for the variance. Callers standardise y themselves.
 */
export interface GPHyperparameters extends KernelParameters {
  /** Observation noise variance added to the diagonal. */
  readonly noiseVariance: number;
}

export interface GaussianProcess {
  readonly n: number;
  readonly dimension: number;
  readonly hyperparameters: GPHyperparameters;
  /** Posterior mean and variance of the latent function (noise excluded) at row `row` of `z`. */
  predict(z: Float64Array, row?: number): { mean: number; variance: number };
  /**
   * `predict` for each of the `m` rows of `z`, into `mean` and `variance`: the same floats
   * as m calls of `predict` (every sum runs in the same order), with the m triangular
   * solves interleaved so their inner loop has no dependency chain (issue 14).
   */
  predictMany(z: Float64Array, m: number, mean: Float64Array, variance: Float64Array): void;
}

/**
 * Cholesky factor (lower, flat n x n) of a symmetric matrix, or null when it is not positive
 * definite; throws when `a` is not exactly symmetric.
 *
 * The Cholesky-Banachiewicz loop of ml-matrix's CholeskyDecomposition (JAMA's), operation
 * for operation, so the factor is the same to the bit, on flat typed arrays: ml-matrix
 * needs the matrix as nested arrays and a Matrix object, and reads each entry through a
 * method call, which made the factorisation most of a GP-BO suggestion (issue 14).
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) if (a[i * n + j] !== a[j * n + i]) throw new Error("Matrix is not symmetric");
  }
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = 0;
    for (let k = 0; k < j; k++) {
      const rowK = k * n;
      let s = 0;
      for (let i = 0; i < k; i++) s += (l[rowK + i] as number) * (l[rowJ + i] as number);
      s = ((a[rowJ + k] as number) - s) / (l[rowK + k] as number);
      l[rowJ + k] = s;
      d = d + s * s;
    }
    d = (a[rowJ + j] as number) - d;
    if (!(d > 0)) return null;
    l[rowJ + j] = Math.sqrt(d);
  }
  return l;
}

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

/** Noisy kernel matrix and its Cholesky factor; adds jitter (up to 1e-4 of the signal) until it factors. */
function factor(x: Float64Array, n: number, h: GPHyperparameters): { l: Float64Array; noise: number } {
  const k = kernelMatrix(x, n, h);
  let noise = h.noiseVariance;
  for (let attempt = 0; attempt < 8; attempt++) {
    for (let i = 0; i < n; i++) k[i * n + i] = h.signalVariance + noise;
    const l = cholesky(k, n);
    if (l !== null) return { l, noise };
    noise = Math.max(noise * 10, 1e-10 * h.signalVariance);
  }
  throw new Error("gaussian process: kernel matrix is not positive definite even with jitter");
}

export function fitGaussianProcess(x: Float64Array, y: Float64Array, h: GPHyperparameters): GaussianProcess {
  const n = y.length;
  const d = h.lengthscales.length;
  const { l } = factor(x, n, h);
  const alpha = backSolve(l, n, forwardSolve(l, n, Float64Array.from(y)));
  const kStar = new Float64Array(n);
  return {
    n,
    dimension: d,
    hyperparameters: h,
    predict(z, row = 0) {
      kernelVector(x, n, z, row, h, kStar);
      let mean = 0;
      for (let i = 0; i < n; i++) mean += (kStar[i] as number) * (alpha[i] as number);
      forwardSolve(l, n, kStar);
      let explained = 0;
      for (let i = 0; i < n; i++) explained += (kStar[i] as number) ** 2;
      return { mean, variance: Math.max(h.signalVariance - explained, 1e-12 * h.signalVariance) };
    },
    predictMany(z, m, means, variances) {
      // Column c of v holds candidate c's k* (then L^-1 k*), entry i at i * m + c.
      const v = new Float64Array(n * m);
      for (let c = 0; c < m; c++) {
        kernelVector(x, n, z, c, h, kStar);
        let mean = 0;
        for (let i = 0; i < n; i++) {
          mean += (kStar[i] as number) * (alpha[i] as number);
          v[i * m + c] = kStar[i] as number;
        }
        means[c] = mean;
      }
      // forwardSolve for every column at once: row i subtracts l[i][j] v[j] for j = 0..i-1 in
      // the same order as the one-column solve, then divides; the loop over c is independent.
      for (let i = 0; i < n; i++) {
        const row = i * n;
        const target = i * m;
        for (let j = 0; j < i; j++) {
          const lij = l[row + j] as number;
          const source = j * m;
          for (let c = 0; c < m; c++) v[target + c] = (v[target + c] as number) - lij * (v[source + c] as number);
        }
        const diagonal = l[row + i] as number;
        for (let c = 0; c < m; c++) v[target + c] = (v[target + c] as number) / diagonal;
      }
      const explained = new Float64Array(m);
      for (let i = 0; i < n; i++) {
        const source = i * m;
        for (let c = 0; c < m; c++) explained[c] = (explained[c] as number) + (v[source + c] as number) ** 2;
      }
      for (let c = 0; c < m; c++) variances[c] = Math.max(h.signalVariance - (explained[c] as number), 1e-12 * h.signalVariance);
    },
  };
}

/** Hyperparameters as an unconstrained vector: log lengthscales, log signal variance, log noise variance. */
export function packHyperparameters(h: GPHyperparameters): Float64Array {
  const d = h.lengthscales.length;
  const theta = new Float64Array(d + 2);
  for (let k = 0; k < d; k++) theta[k] = Math.log(h.lengthscales[k] as number);
  theta[d] = Math.log(h.signalVariance);
  theta[d + 1] = Math.log(h.noiseVariance);
  return theta;
}

export function unpackHyperparameters(theta: Float64Array, kernel: KernelName): GPHyperparameters {
  const d = theta.length - 2;
  return {
    kernel,
    lengthscales: Float64Array.from(theta.subarray(0, d), Math.exp),
    signalVariance: Math.exp(theta[d] as number),
    noiseVariance: Math.exp(theta[d + 1] as number),
  };
}

/** log p(y | X, h) and its gradient with respect to the packed (log) hyperparameters. */
export function logMarginalLikelihood(x: Float64Array, y: Float64Array, h: GPHyperparameters): { value: number; gradient: Float64Array } {
  const n = y.length;
  const d = h.lengthscales.length;
  const { l, noise } = factor(x, n, h);
  const alpha = backSolve(l, n, forwardSolve(l, n, Float64Array.from(y)));
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += Math.log(l[i * n + i] as number);
  let fit = 0;
  for (let i = 0; i < n; i++) fit += (y[i] as number) * (alpha[i] as number);
  const value = -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI);

  // W = alpha alpha^T - K^{-1}; dLML/dtheta = 0.5 tr(W dK/dtheta).
  const inverse = choleskyInverse(l, n);
  const gradient = new Float64Array(d + 2);
  let signalTerm = 0;
  let noiseTerm = 0;
  const diffs = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const wii = (alpha[i] as number) ** 2 - (inverse[i * n + i] as number);
    signalTerm += 0.5 * wii * h.signalVariance;
    noiseTerm += 0.5 * wii * noise;
    for (let j = 0; j < i; j++) {
      const wij = (alpha[i] as number) * (alpha[j] as number) - (inverse[i * n + j] as number);
      // scaledSquaredDistance, keeping each scaled difference for the lengthscale terms.
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const diff = ((x[i * d + k] as number) - (x[j * d + k] as number)) / (h.lengthscales[k] as number);
        diffs[k] = diff;
        r2 += diff * diff;
      }
      // kernelOfDistance and lengthscaleGradientFactor share their square root and exponential.
      let kij: number;
      let gradientFactor: number;
      if (h.kernel === "squared-exponential") {
        gradientFactor = h.signalVariance * Math.exp(-0.5 * r2);
        kij = r2 === 0 ? h.signalVariance : gradientFactor;
      } else {
        const r = Math.sqrt(r2);
        const decay = Math.exp(-SQRT5 * r);
        kij = r2 === 0 ? h.signalVariance : h.signalVariance * (1 + SQRT5 * r + (5 / 3) * r2) * decay;
        gradientFactor = h.signalVariance * (5 / 3) * (1 + SQRT5 * r) * decay;
      }
      // Off-diagonal pairs count twice in the trace.
      signalTerm += wij * kij;
      const factorIJ = wij * gradientFactor;
      for (let k = 0; k < d; k++) {
        const diff = diffs[k] as number;
        gradient[k] = (gradient[k] as number) + factorIJ * diff * diff;
      }
    }
  }
  gradient[d] = signalTerm;
  gradient[d + 1] = noiseTerm;
  return { value, gradient };
}

const SQRT5 = Math.sqrt(5);

/** K^{-1} = L^{-T} L^{-1} from the Cholesky factor (flat, symmetric). */
function choleskyInverse(l: Float64Array, n: number): Float64Array {
  // Columns of L^{-1}, then the product; O(n^3). Column c of L^{-1} is zero above row c, so
  // its forward solve starts at row c: the skipped terms subtract exact zeros from +0 and
  // change no bit. L^{-1} is kept by columns (column c at c * n) so both loops run along memory.
  const lInvColumns = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const column = c * n;
    for (let i = c; i < n; i++) {
      let s = i === c ? 1 : 0;
      const row = i * n;
      for (let j = c; j < i; j++) s -= (l[row + j] as number) * (lInvColumns[column + j] as number);
      lInvColumns[column + i] = s / (l[row + i] as number);
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const columnI = i * n;
    // Four entries at a time: each sum still runs over r = i..n-1 in order (the same
    // floats), but the four are independent, so they do not wait on one another (issue 14).
    let j = 0;
    for (; j + 3 <= i; j += 4) {
      const c0 = j * n;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = i; r < n; r++) {
        const a = lInvColumns[columnI + r] as number;
        s0 += a * (lInvColumns[c0 + r] as number);
        s1 += a * (lInvColumns[c1 + r] as number);
        s2 += a * (lInvColumns[c2 + r] as number);
        s3 += a * (lInvColumns[c3 + r] as number);
      }
      out[i * n + j] = s0;
      out[j * n + i] = s0;
      out[i * n + j + 1] = s1;
      out[(j + 1) * n + i] = s1;
      out[i * n + j + 2] = s2;
      out[(j + 2) * n + i] = s2;
      out[i * n + j + 3] = s3;
      out[(j + 3) * n + i] = s3;
    }
    for (; j <= i; j++) {
      const columnJ = j * n;
      let s = 0;
      for (let r = i; r < n; r++) s += (lInvColumns[columnI + r] as number) * (lInvColumns[columnJ + r] as number);
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

export interface HyperparameterBounds {
  /** Per packed coordinate, [low, high] in log space. */
  readonly low: Float64Array;
  readonly high: Float64Array;
}

/**
 * Maximises the LML by projected Adam from each start; returns the best end point.
 * Deterministic: the caller chooses the starts (e.g. previous optimum plus seeded random ones).
 */
export function optimizeHyperparameters(
  x: Float64Array,
  y: Float64Array,
  kernel: KernelName,
  starts: readonly Float64Array[],
  bounds: HyperparameterBounds,
  iterations = 60,
  learningRate = 0.1,
): { hyperparameters: GPHyperparameters; logMarginalLikelihood: number } {
  let best: { theta: Float64Array; value: number } | null = null;
  for (const start of starts) {
    const theta = Float64Array.from(start, (v, k) => Math.min(Math.max(v, bounds.low[k] as number), bounds.high[k] as number));
    const m = new Float64Array(theta.length);
    const v = new Float64Array(theta.length);
    let bestHere = { theta: Float64Array.from(theta), value: -Infinity };
    for (let t = 1; t <= iterations; t++) {
      let evaluation: { value: number; gradient: Float64Array };
      try {
        evaluation = logMarginalLikelihood(x, y, unpackHyperparameters(theta, kernel));
      } catch {
        break;
      }
      if (evaluation.value > bestHere.value) bestHere = { theta: Float64Array.from(theta), value: evaluation.value };
      for (let k = 0; k < theta.length; k++) {
        const g = evaluation.gradient[k] as number;
        m[k] = 0.9 * (m[k] as number) + 0.1 * g;
        v[k] = 0.999 * (v[k] as number) + 0.001 * g * g;
        const step = (learningRate * ((m[k] as number) / (1 - 0.9 ** t))) / (Math.sqrt((v[k] as number) / (1 - 0.999 ** t)) + 1e-8);
        theta[k] = Math.min(Math.max((theta[k] as number) + step, bounds.low[k] as number), bounds.high[k] as number);
      }
    }
    if (best === null || bestHere.value > best.value) best = bestHere;
  }
  if (best === null || best.value === -Infinity) throw new Error("gaussian process: no hyperparameter start could be evaluated");
  return { hyperparameters: unpackHyperparameters(best.theta, kernel), logMarginalLikelihood: best.value };
}
