import { LOG_SQRT_2PI, gaussMass, logGaussMass, ndtr, ndtri } from "../../math/normal.ts";

/**
 * The standard normal truncated to [a, b] (a < b), the kernel of TPE's Parzen
 * estimators (Optuna `_truncnorm.py`). Pure; randomness comes in as a uniform.
 */

/** log density at z of N(0, 1) truncated to [a, b]; -Infinity outside. */
export function truncnormLogPdf(z: number, a: number, b: number): number {
  if (z < a || z > b) return -Infinity;
  return -0.5 * z * z - LOG_SQRT_2PI - logGaussMass(a, b);
}

/**
 * Inverse-CDF draw from N(0, 1) truncated to [a, b], given u in [0, 1). Works in
 * the tail nearer to the interval so that Phi keeps its relative precision.
 */
export function truncnormQuantile(u: number, a: number, b: number): number {
  if (a > 0) return -truncnormQuantile(1 - u, -b, -a);
  const lower = ndtr(a);
  const z = ndtri(lower + u * gaussMass(a, b));
  return Math.min(Math.max(z, a), b);
}

/** log of the mass N(mu, sigma) truncated to [low, high] puts on [left, right] (quantized kernels). */
export function truncnormLogBinMass(left: number, right: number, mu: number, sigma: number, low: number, high: number): number {
  const l = Math.max(left, low);
  const r = Math.min(right, high);
  if (r <= l) return -Infinity;
  return logGaussMass((l - mu) / sigma, (r - mu) / sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}
