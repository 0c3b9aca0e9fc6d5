import { describe, expect, it } from "vitest";
import {
  cholesky,
  fitGaussianProcess,
  logMarginalLikelihood,
  optimizeHyperparameters,
  packHyperparameters,
  unpackHyperparameters,
  type GPHyperparameters,
} from "../../../algorithms/math/gaussian-process.ts";
import { rngFor } from "../../../core/rng.ts";

function data(n: number, d: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = rngFor(seed, "test:gp");
  const x = Float64Array.from({ length: n * d }, () => rng.next());
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(6 * (x[i * d] as number)) + (d > 1 ? (x[i * d + 1] as number) ** 2 : 0));
  return { x, y };
}

const hyper = (d: number, kernel: GPHyperparameters["kernel"] = "matern52"): GPHyperparameters => ({
  kernel,
  lengthscales: new Float64Array(d).fill(0.3),
  signalVariance: 1.3,
  noiseVariance: 1e-10,
});

describe("gaussian process", () => {
  it("predictMany gives predict's floats bit for bit (batched acquisition, issue 14)", () => {
    // Even and odd n (the two-row forward solve's last row alone), one chunk and several (64 candidates each).
    for (const [kernel, n, m] of [["matern52", 40, 57], ["squared-exponential", 40, 57], ["matern52", 41, 130], ["squared-exponential", 7, 65]] as const) {
      const { x, y } = data(n, 3, 2);
      const gp = fitGaussianProcess(x, y, { ...hyper(3, kernel), noiseVariance: 1e-3 });
      const z = data(m, 3, 3).x;
      z.set(x.subarray(0, 3), 0); // a training point: variance at its floor
      const means = new Float64Array(m);
      const variances = new Float64Array(m);
      gp.predictMany(z, m, means, variances);
      for (let c = 0; c < m; c++) {
        const p = gp.predict(z, c);
        expect(Object.is(means[c], p.mean)).toBe(true);
        expect(Object.is(variances[c], p.variance)).toBe(true);
      }
    }
  });

  it("posterior mean interpolates noiseless training data, with vanishing variance there", () => {
    for (const kernel of ["matern52", "squared-exponential"] as const) {
      const { x, y } = data(25, 2, 1);
      const gp = fitGaussianProcess(x, y, { ...hyper(2, kernel), lengthscales: Float64Array.from([0.2, 0.3]) });
      for (let i = 0; i < 25; i++) {
        const p = gp.predict(x, i);
        expect(p.mean).toBeCloseTo(y[i] as number, 4);
        expect(p.variance).toBeLessThan(1e-4);
      }
      // Away from data the variance returns towards the prior.
      expect(gp.predict(Float64Array.from([5, 5])).variance).toBeCloseTo(1.3, 6);
    }
  });

  it("LML gradient matches central finite differences", () => {
    const { x, y } = data(15, 2, 2);
    const h: GPHyperparameters = { kernel: "matern52", lengthscales: Float64Array.from([0.4, 0.7]), signalVariance: 0.8, noiseVariance: 0.01 };
    const theta = packHyperparameters(h);
    const { gradient } = logMarginalLikelihood(x, y, h);
    for (let k = 0; k < theta.length; k++) {
      const step = 1e-5;
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[k] = (up[k] as number) + step;
      down[k] = (down[k] as number) - step;
      const numeric = (logMarginalLikelihood(x, y, unpackHyperparameters(up, "matern52")).value - logMarginalLikelihood(x, y, unpackHyperparameters(down, "matern52")).value) / (2 * step);
      expect(gradient[k]).toBeCloseTo(numeric, 4);
    }
  });

  it("hyperparameter optimisation raises the LML from its start", () => {
    const { x, y } = data(30, 2, 3);
    const start = packHyperparameters({ ...hyper(2), lengthscales: Float64Array.from([3, 3]), noiseVariance: 0.1 });
    const bounds = { low: new Float64Array(4).fill(-7), high: new Float64Array(4).fill(3) };
    const before = logMarginalLikelihood(x, y, unpackHyperparameters(start, "matern52")).value;
    const { logMarginalLikelihood: after } = optimizeHyperparameters(x, y, "matern52", [start], bounds);
    expect(after).toBeGreaterThan(before + 1);
  });

  it("cholesky reproduces the matrix and reports non-positive-definite input", () => {
    const a = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const l = cholesky(a, 3) as Float64Array;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += (l[i * 3 + k] as number) * (l[j * 3 + k] as number);
        expect(s).toBeCloseTo(a[i * 3 + j] as number, 12);
      }
    }
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull();
  });
});
