import {
  kernelMatrix,
  kernelVector,
  type KernelName,
  type KernelParameters,
} from "./kernels.ts";
import { choleskyInto } from "./cholesky-blocked.ts";
import { backSolve, forwardSolve } from "./triangular-solve.ts";
import { MarginalLikelihoodWorkspace } from "./marginal-likelihood.ts";

export { backSolve, forwardSolve };

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
  return choleskyInto(a, n, l) ? l : null;
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

const SQRT5 = Math.sqrt(5);

/** Candidates per block of `predictMany` (n x 64 doubles: 50 KiB at n = 100, 100 KiB at 200). */
const PREDICT_CHUNK = 64;

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
      // Candidates in chunks of PREDICT_CHUNK, so that a chunk's n x chunk block stays in
      // cache through its n^2 / 2 row updates (round 4; one block of n x m spilled to memory).
      // Column c of v holds candidate c's k* (then L^-1 k*), entry i at i * width + c.
      const v = new Float64Array(n * Math.min(m, PREDICT_CHUNK));
      const { lengthscales, signalVariance } = h;
      const matern = h.kernel !== "squared-exponential";
      for (let first = 0; first < m; first += PREDICT_CHUNK) {
        const width = Math.min(PREDICT_CHUNK, m - first);
        for (let c = 0; c < width; c++) {
          // kernelVector's floats (scaledSquaredDistance, then kernelOfDistance), mean's sum in row order.
          const zRow = (first + c) * d;
          let mean = 0;
          for (let i = 0; i < n; i++) {
            const xRow = i * d;
            let r2 = 0;
            for (let q = 0; q < d; q++) {
              const diff = ((x[xRow + q] as number) - (z[zRow + q] as number)) / (lengthscales[q] as number);
              r2 += diff * diff;
            }
            // kernelOfDistance, inline (V8 did not inline the call here).
            let value: number;
            if (matern) {
              const r = Math.sqrt(r2);
              value = signalVariance * (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
            } else {
              value = signalVariance * Math.exp(-0.5 * r2);
            }
            mean += value * (alpha[i] as number);
            v[i * width + c] = value;
          }
          means[first + c] = mean;
        }
        forwardSolveColumns(l, n, v, width);
        for (let c = 0; c < width; c++) {
          let explained = 0;
          for (let i = 0; i < n; i++) explained += (v[i * width + c] as number) ** 2;
          variances[first + c] = Math.max(signalVariance - explained, 1e-12 * signalVariance);
        }
      }
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
  return new MarginalLikelihoodWorkspace(x, y, h.lengthscales.length).evaluate(h);
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
  // One set of buffers for every evaluation: the data do not change, only the hyperparameters.
  const workspace = new MarginalLikelihoodWorkspace(x, y, (starts[0]?.length ?? 2) - 2);
  for (const start of starts) {
    const theta = Float64Array.from(start, (v, k) => Math.min(Math.max(v, bounds.low[k] as number), bounds.high[k] as number));
    const m = new Float64Array(theta.length);
    const v = new Float64Array(theta.length);
    let bestHere = { theta: Float64Array.from(theta), value: -Infinity };
    for (let t = 1; t <= iterations; t++) {
      let evaluation: { value: number; gradient: Float64Array };
      try {
        evaluation = workspace.evaluate(unpackHyperparameters(theta, kernel));
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

/**
 * forwardSolve (L v = b, L lower n x n) for each of the `width` columns of v (entry i of
 * column c at i * width + c), in place. Each entry subtracts l[i][j] v[j] for j = 0..i-1 in
 * ascending j, then divides by l[i][i]: the operations of the one-column solve in its
 * order, so the floats are the same. The loop over c is independent, and two rows i, i+1
 * go together so each source row v[j] is loaded once for both (row i+1 takes its j = i term
 * after row i is divided); four j at a time, so each target entry is loaded and stored once
 * per four terms (the update loop is load/store bound: 1.7x faster than one row at a time
 * at n = 100, issue 14).
 */
function forwardSolveColumns(l: Float64Array, n: number, v: Float64Array, width: number): void {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const rowA = i * n;
    const rowB = rowA + n;
    const targetA = i * width;
    const targetB = targetA + width;
    let j = 0;
    for (; j + 4 <= i; j += 4) {
      const a0 = l[rowA + j] as number;
      const a1 = l[rowA + j + 1] as number;
      const a2 = l[rowA + j + 2] as number;
      const a3 = l[rowA + j + 3] as number;
      const b0 = l[rowB + j] as number;
      const b1 = l[rowB + j + 1] as number;
      const b2 = l[rowB + j + 2] as number;
      const b3 = l[rowB + j + 3] as number;
      const s0 = j * width;
      const s1 = s0 + width;
      const s2 = s1 + width;
      const s3 = s2 + width;
      for (let c = 0; c < width; c++) {
        const v0 = v[s0 + c] as number;
        const v1 = v[s1 + c] as number;
        const v2 = v[s2 + c] as number;
        const v3 = v[s3 + c] as number;
        let t = v[targetA + c] as number;
        t = t - a0 * v0;
        t = t - a1 * v1;
        t = t - a2 * v2;
        t = t - a3 * v3;
        v[targetA + c] = t;
        let u = v[targetB + c] as number;
        u = u - b0 * v0;
        u = u - b1 * v1;
        u = u - b2 * v2;
        u = u - b3 * v3;
        v[targetB + c] = u;
      }
    }
    for (; j < i; j++) {
      const a = l[rowA + j] as number;
      const b = l[rowB + j] as number;
      const source = j * width;
      for (let c = 0; c < width; c++) {
        const vs = v[source + c] as number;
        v[targetA + c] = (v[targetA + c] as number) - a * vs;
        v[targetB + c] = (v[targetB + c] as number) - b * vs;
      }
    }
    const diagonalA = l[rowA + i] as number;
    const lastB = l[rowB + i] as number;
    const diagonalB = l[rowB + i + 1] as number;
    for (let c = 0; c < width; c++) {
      const va = (v[targetA + c] as number) / diagonalA;
      v[targetA + c] = va;
      v[targetB + c] = ((v[targetB + c] as number) - lastB * va) / diagonalB;
    }
  }
  for (; i < n; i++) {
    const row = i * n;
    const target = i * width;
    for (let j = 0; j < i; j++) {
      const lij = l[row + j] as number;
      const source = j * width;
      for (let c = 0; c < width; c++) v[target + c] = (v[target + c] as number) - lij * (v[source + c] as number);
    }
    const diagonal = l[row + i] as number;
    for (let c = 0; c < width; c++) v[target + c] = (v[target + c] as number) / diagonal;
  }
}
