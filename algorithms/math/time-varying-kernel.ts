import { backSolve, cholesky, forwardSolve } from "./gaussian-process.ts";

/**
 * PB2's time-varying squared-exponential kernel (Parker-Holder et al. 2020) and
 * an exact GP with it. Rows of `x` are [t, z_1, ..., z_{d-1}] (time in column 0):
 *
 *   k(x, x') = variance * exp(-|z - z'|^2 / lengthscale) * (1 - epsilon)^(|t - t'| / 2)
 *
 * so observations far apart in time count less (epsilon in (0, 0.5]: how fast the
 * reward landscape drifts). As in Ray Tune's pb2_utils the lengthscale divides
 * the squared distance directly (no factor 2). Pure: flat Float64Arrays, no state.
 */
export interface TimeVaryingParameters {
  readonly variance: number;
  readonly lengthscale: number;
  /** Clamped to (0, 0.5], as Ray clamps it. */
  readonly epsilon: number;
  /** Gaussian observation noise variance. */
  readonly noiseVariance: number;
}

export function timeVaryingKernel(a: Float64Array, i: number, b: Float64Array, j: number, d: number, p: TimeVaryingParameters): number {
  const ai = i * d;
  const bj = j * d;
  const dt = Math.abs((a[ai] as number) - (b[bj] as number));
  let r2 = 0;
  for (let k = 1; k < d; k++) {
    const diff = (a[ai + k] as number) - (b[bj + k] as number);
    r2 += diff * diff;
  }
  const epsilon = Math.min(p.epsilon, 0.5);
  return p.variance * Math.exp(-r2 / p.lengthscale) * (1 - epsilon) ** (0.5 * dt);
}

export interface TimeVaryingGP {
  readonly n: number;
  readonly parameters: TimeVaryingParameters;
  readonly logMarginalLikelihood: number;
  /** Posterior mean and latent variance at row `row` of `z` (d columns). */
  predict(z: Float64Array, row?: number): { mean: number; variance: number };
}

/** Pairwise squared distances (hyperparameter columns) and time gaps of the rows of x, computed once per data set. */
export interface PairwiseDistances {
  readonly n: number;
  readonly squared: Float64Array;
  readonly timeGap: Float64Array;
}

export function pairwiseDistances(x: Float64Array, n: number, d: number): PairwiseDistances {
  const squared = new Float64Array(n * n);
  const timeGap = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let r2 = 0;
      for (let c = 1; c < d; c++) {
        const diff = (x[i * d + c] as number) - (x[j * d + c] as number);
        r2 += diff * diff;
      }
      const dt = Math.abs((x[i * d] as number) - (x[j * d] as number));
      squared[i * n + j] = r2;
      squared[j * n + i] = r2;
      timeGap[i * n + j] = dt;
      timeGap[j * n + i] = dt;
    }
  }
  return { n, squared, timeGap };
}

/** Conditions the GP on (x, y) for fixed parameters; null when the kernel matrix does not factor. */
export function fitTimeVaryingGP(
  x: Float64Array,
  y: Float64Array,
  d: number,
  p: TimeVaryingParameters,
  distances: PairwiseDistances = pairwiseDistances(x, y.length, d),
): TimeVaryingGP | null {
  const n = y.length;
  const k = new Float64Array(n * n);
  const logDecay = 0.5 * Math.log(1 - Math.min(p.epsilon, 0.5));
  const { squared, timeGap } = distances;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const at = i * n + j;
      const v = p.variance * Math.exp(-(squared[at] as number) / p.lengthscale + logDecay * (timeGap[at] as number));
      k[at] = v;
      k[j * n + i] = v;
    }
    k[i * n + i] = p.variance + p.noiseVariance;
  }
  const l = cholesky(k, n);
  if (l === null) return null;
  const alpha = backSolve(l, n, forwardSolve(l, n, Float64Array.from(y)));
  let logDet = 0;
  let fit = 0;
  for (let i = 0; i < n; i++) {
    logDet += Math.log(l[i * n + i] as number);
    fit += (y[i] as number) * (alpha[i] as number);
  }
  const logMarginalLikelihood = -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI);
  const kStar = new Float64Array(n);
  return {
    n,
    parameters: p,
    logMarginalLikelihood,
    predict(z, row = 0) {
      for (let i = 0; i < n; i++) kStar[i] = timeVaryingKernel(x, i, z, row, d, p);
      let mean = 0;
      for (let i = 0; i < n; i++) mean += (kStar[i] as number) * (alpha[i] as number);
      forwardSolve(l, n, kStar);
      let explained = 0;
      for (let i = 0; i < n; i++) explained += (kStar[i] as number) ** 2;
      return { mean, variance: Math.max(p.variance - explained, 0) };
    },
  };
}
