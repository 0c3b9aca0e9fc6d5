import { describe, expect, it } from "vitest";
import { choleskyInto, choleskyInverseLowerInto } from "../../../algorithms/math/cholesky-blocked.ts";
import {
  cholesky,
  fitGaussianProcess,
  logMarginalLikelihood,
  optimizeHyperparameters,
  packHyperparameters,
  type GPHyperparameters,
} from "../../../algorithms/math/gaussian-process.ts";
import { kernelMatrix } from "../../../algorithms/math/kernels.ts";
import { rngFor, type Rng } from "../../../core/rng.ts";
import * as before from "./reference/gaussian-process-20a6284.ts";

/**
 * Issue 14, round 4: the blocked Cholesky, the workspace LML and its gradient must give the
 * floats of the code they replaced (kept in ./reference, as of 20a6284) to the bit, on random
 * data of every size class the blocking has (n mod 4, below and above one block).
 */
function randomCase(rng: Rng, n: number, d: number, kernel: GPHyperparameters["kernel"]): { x: Float64Array; y: Float64Array; h: GPHyperparameters } {
  const x = Float64Array.from({ length: n * d }, () => rng.next());
  // A duplicated row (r = 0) and a near-duplicate, as GP-BO's incumbent refinements make.
  if (n >= 4) {
    x.copyWithin(2 * d, 0, d);
    x[3 * d] = (x[d] as number) + 1e-9;
  }
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(5 * (x[i * d] as number)) + rng.normal() * 0.1);
  const h: GPHyperparameters = {
    kernel,
    lengthscales: Float64Array.from({ length: d }, () => Math.exp(-3 + 5 * rng.next())),
    signalVariance: Math.exp(-2 + 4 * rng.next()),
    // Down to 1e-12, where the jitter loop has to add noise before the matrix factors.
    noiseVariance: Math.exp(-27 + 26 * rng.next()),
  };
  return { x, y, h };
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => Object.is(v, b[i]));

describe("GP marginal likelihood, round 4 (same floats as 20a6284)", () => {
  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 13, 33, 64, 101];

  it("choleskyInto and the public cholesky give the reference factor bit for bit", () => {
    const rng = rngFor(1, "test:gp-round4");
    for (const n of sizes) {
      for (const kernel of ["matern52", "squared-exponential"] as const) {
        const { x, h } = randomCase(rng, n, 3, kernel);
        const k = kernelMatrix(x, n, h);
        for (let i = 0; i < n; i++) k[i * n + i] = h.signalVariance + 1e-3;
        const reference = before.cholesky(k, n);
        expect(reference).not.toBeNull();
        expect(same(cholesky(k, n) as Float64Array, reference as Float64Array)).toBe(true);
        // Into a dirty buffer: only the lower triangle is written, and it matches.
        const l = new Float64Array(n * n).fill(Number.NaN);
        expect(choleskyInto(k, n, l)).toBe(true);
        for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(Object.is(l[i * n + j], reference?.[i * n + j])).toBe(true);
        // K^{-1} against the reference's L^{-T} L^{-1}, computed here the reference way.
        const inverse = new Float64Array(n * n).fill(Number.NaN);
        choleskyInverseLowerInto(l, n, new Float64Array(n * n).fill(Number.NaN), inverse);
        const lInv = new Float64Array(n * n);
        for (let c = 0; c < n; c++) {
          for (let i = c; i < n; i++) {
            let s = i === c ? 1 : 0;
            for (let j = c; j < i; j++) s -= (l[i * n + j] as number) * (lInv[c * n + j] as number);
            lInv[c * n + i] = s / (l[i * n + i] as number);
          }
        }
        for (let i = 0; i < n; i++) {
          for (let j = 0; j <= i; j++) {
            let s = 0;
            for (let r = i; r < n; r++) s += (lInv[i * n + r] as number) * (lInv[j * n + r] as number);
            expect(Object.is(inverse[i * n + j], s)).toBe(true);
          }
        }
      }
    }
  });

  it("a matrix that is not positive definite is refused as before", () => {
    const a = Float64Array.from([1, 2, 0, 0, 2, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(before.cholesky(a, 4)).toBeNull();
    expect(cholesky(a, 4)).toBeNull();
    expect(() => cholesky(Float64Array.from([1, 0.5, 0.4, 1]), 2)).toThrow("Matrix is not symmetric");
  });

  it("logMarginalLikelihood: value and gradient bit for bit on random data", () => {
    const rng = rngFor(2, "test:gp-round4");
    let cases = 0;
    for (const n of sizes) {
      for (const d of [1, 3, 6]) {
        for (const kernel of ["matern52", "squared-exponential"] as const) {
          const { x, y, h } = randomCase(rng, n, d, kernel);
          const reference = before.logMarginalLikelihood(x, y, h);
          const now = logMarginalLikelihood(x, y, h);
          expect(Object.is(now.value, reference.value)).toBe(true);
          expect(same(now.gradient, reference.gradient)).toBe(true);
          cases++;
        }
      }
    }
    expect(cases).toBe(sizes.length * 6);
  });

  it("optimizeHyperparameters (one workspace across Adam steps) ends where the reference does", () => {
    const rng = rngFor(3, "test:gp-round4");
    for (const [n, d] of [
      [12, 2],
      [41, 6],
      [70, 3],
    ] as const) {
      for (const kernel of ["matern52", "squared-exponential"] as const) {
        const { x, y, h } = randomCase(rng, n, d, kernel);
        const bounds = { low: new Float64Array(d + 2).fill(-6), high: new Float64Array(d + 2).fill(3) };
        const starts = [packHyperparameters(h), Float64Array.from({ length: d + 2 }, () => -2 + 3 * rng.next())];
        const reference = before.optimizeHyperparameters(x, y, kernel, starts, bounds, 25);
        const now = optimizeHyperparameters(x, y, kernel, starts, bounds, 25);
        expect(Object.is(now.logMarginalLikelihood, reference.logMarginalLikelihood)).toBe(true);
        expect(same(packHyperparameters(now.hyperparameters), packHyperparameters(reference.hyperparameters))).toBe(true);
        // And the posterior built on it.
        const z = Float64Array.from({ length: 9 * d }, () => rng.next());
        const [gpNow, gpBefore] = [fitGaussianProcess(x, y, now.hyperparameters), before.fitGaussianProcess(x, y, reference.hyperparameters)];
        for (let c = 0; c < 9; c++) {
          const [a, b] = [gpNow.predict(z, c), gpBefore.predict(z, c)];
          expect(Object.is(a.mean, b.mean) && Object.is(a.variance, b.variance)).toBe(true);
        }
      }
    }
  });

  it("predictMany (blocks of 64 candidates, four rows per update) gives the reference's floats", () => {
    const rng = rngFor(4, "test:gp-round4");
    for (const [n, m] of [
      [1, 3],
      [6, 64],
      [41, 157],
      [102, 300],
    ] as const) {
      for (const kernel of ["matern52", "squared-exponential"] as const) {
        const d = 4;
        const { x, y, h } = randomCase(rng, n, d, kernel);
        const z = Float64Array.from({ length: m * d }, () => rng.next());
        z.set(x.subarray(0, d), d); // a training point
        const [gpNow, gpBefore] = [fitGaussianProcess(x, y, h), before.fitGaussianProcess(x, y, h)];
        const out = [new Float64Array(m), new Float64Array(m), new Float64Array(m), new Float64Array(m)] as const;
        gpNow.predictMany(z, m, out[0], out[1]);
        gpBefore.predictMany(z, m, out[2], out[3]);
        expect(same(out[0], out[2]) && same(out[1], out[3])).toBe(true);
      }
    }
  });
});
