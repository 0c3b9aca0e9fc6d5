import { choleskyInto, choleskyInverseLowerInto } from "./cholesky-blocked.ts";
import type { GPHyperparameters } from "./gaussian-process.ts";
import { backSolve, forwardSolve } from "./triangular-solve.ts";

const SQRT5 = Math.sqrt(5);

/**
 * The GP log marginal likelihood and its gradient in the packed (log) hyperparameters, for
 * fixed data and many hyperparameter settings (the Adam steps of a fit): the buffers are
 * allocated once, and each pair's kernel value, lengthscale gradient factor and scaled
 * differences are computed once per evaluation, for the kernel matrix and kept for the
 * gradient (before issue 14's round 4 the gradient recomputed them, and every evaluation
 * allocated four n x n arrays). Every float is computed by the same operations in the same
 * order as before (`kernelMatrix`, JAMA's Cholesky, L^{-T} L^{-1}, the gradient's pair loop),
 * so values and gradients are the same to the bit (test/algorithms/math/marginal-likelihood.test.ts
 * compares them with the code of 20a6284).
 */
export class MarginalLikelihoodWorkspace {
  private readonly n: number;
  private d: number;
  /** Lower triangle: the kernel matrix (noise on the diagonal). */
  private readonly k: Float64Array;
  private readonly l: Float64Array;
  private readonly lInvColumns: Float64Array;
  /** Lower triangle of K^{-1}. */
  private readonly inverse: Float64Array;
  private readonly alpha: Float64Array;
  /** Per pair (i, j < i), in loop order: the lengthscale gradient factor g(r). */
  private readonly factors: Float64Array;
  /** Per pair, d scaled differences (x_ik - x_jk) / l_k. */
  private diffs: Float64Array;

  constructor(
    private readonly x: Float64Array,
    private readonly y: Float64Array,
    /** The number of lengthscales the evaluations will have (the buffers follow it if not). */
    dimension: number,
  ) {
    const n = y.length;
    this.n = n;
    this.d = dimension;
    const pairs = (n * (n - 1)) / 2;
    this.k = new Float64Array(n * n);
    this.l = new Float64Array(n * n);
    this.lInvColumns = new Float64Array(n * n);
    this.inverse = new Float64Array(n * n);
    this.alpha = new Float64Array(n);
    this.factors = new Float64Array(pairs);
    this.diffs = new Float64Array(pairs * dimension);
  }

  evaluate(h: GPHyperparameters): { value: number; gradient: Float64Array } {
    if (h.lengthscales.length !== this.d) {
      this.d = h.lengthscales.length;
      this.diffs = new Float64Array(this.factors.length * this.d);
    }
    const { n, d, x, y, k, l, alpha, factors, diffs, inverse } = this;
    const lengthscales = h.lengthscales;
    const signalVariance = h.signalVariance;
    const matern = h.kernel !== "squared-exponential";

    // The kernel matrix's lower triangle (kernelMatrix's floats: scaledSquaredDistance, then
    // kernelOfDistance), keeping each pair's scaled differences and gradient factor.
    let p = 0;
    for (let i = 0; i < n; i++) {
      const rowI = i * d;
      for (let j = 0; j < i; j++, p++) {
        const rowJ = j * d;
        const at = p * d;
        let r2 = 0;
        for (let q = 0; q < d; q++) {
          const diff = ((x[rowI + q] as number) - (x[rowJ + q] as number)) / (lengthscales[q] as number);
          diffs[at + q] = diff;
          r2 += diff * diff;
        }
        let kij: number;
        if (matern) {
          const r = Math.sqrt(r2);
          const decay = Math.exp(-SQRT5 * r);
          kij = signalVariance * (1 + SQRT5 * r + (5 / 3) * r2) * decay;
          factors[p] = signalVariance * (5 / 3) * (1 + SQRT5 * r) * decay;
        } else {
          kij = signalVariance * Math.exp(-0.5 * r2);
          factors[p] = kij;
        }
        // cholesky's symmetry check failed on exactly these (NaN !== NaN): same error.
        if (kij !== kij) throw new Error("Matrix is not symmetric");
        k[i * n + j] = kij;
      }
    }

    // factor(): jitter (up to 1e-4 of the signal) until it factors.
    let noise = h.noiseVariance;
    let factored = false;
    for (let attempt = 0; attempt < 8; attempt++) {
      for (let i = 0; i < n; i++) k[i * n + i] = signalVariance + noise;
      if (choleskyInto(k, n, l)) {
        factored = true;
        break;
      }
      noise = Math.max(noise * 10, 1e-10 * signalVariance);
    }
    if (!factored) throw new Error("gaussian process: kernel matrix is not positive definite even with jitter");

    alpha.set(y);
    backSolve(l, n, forwardSolve(l, n, alpha));
    let logDet = 0;
    for (let i = 0; i < n; i++) logDet += Math.log(l[i * n + i] as number);
    let fit = 0;
    for (let i = 0; i < n; i++) fit += (y[i] as number) * (alpha[i] as number);
    const value = -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI);

    // W = alpha alpha^T - K^{-1}; dLML/dtheta = 0.5 tr(W dK/dtheta).
    choleskyInverseLowerInto(l, n, this.lInvColumns, inverse);
    const gradient = new Float64Array(d + 2);
    let signalTerm = 0;
    let noiseTerm = 0;
    p = 0;
    for (let i = 0; i < n; i++) {
      const ai = alpha[i] as number;
      const wii = ai ** 2 - (inverse[i * n + i] as number);
      signalTerm += 0.5 * wii * signalVariance;
      noiseTerm += 0.5 * wii * noise;
      for (let j = 0; j < i; j++, p++) {
        const wij = ai * (alpha[j] as number) - (inverse[i * n + j] as number);
        // Off-diagonal pairs count twice in the trace.
        signalTerm += wij * (k[i * n + j] as number);
        const factorIJ = wij * (factors[p] as number);
        const at = p * d;
        for (let q = 0; q < d; q++) {
          const diff = diffs[at + q] as number;
          gradient[q] = (gradient[q] as number) + factorIJ * diff * diff;
        }
      }
    }
    gradient[d] = signalTerm;
    gradient[d + 1] = noiseTerm;
    return { value, gradient };
  }
}
