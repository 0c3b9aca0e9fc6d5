import fc from "fast-check";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { kernelMatrix } from "../../../algorithms/math/kernels.ts";

describe("kernel matrices", () => {
  it("are symmetric positive definite for distinct random inputs (Matern 5/2 and squared exponential, ARD)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((d) =>
          fc.record({
            d: fc.constant(d),
            points: fc.uniqueArray(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: d, maxLength: d }), {
              minLength: 2,
              maxLength: 12,
              selector: (p) => p.map((v) => v.toFixed(2)).join(","),
            }),
            lengthscales: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: d, maxLength: d }),
            signal: fc.double({ min: 0.1, max: 10, noNaN: true }),
            kernel: fc.constantFrom("matern52" as const, "squared-exponential" as const),
          }),
        ),
        ({ d, points, lengthscales, signal, kernel }) => {
          const n = points.length;
          const x = Float64Array.from(points.flat());
          const k = kernelMatrix(x, n, { kernel, lengthscales: Float64Array.from(lengthscales), signalVariance: signal });
          expect(x.length).toBe(n * d);
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(k[i * n + j]).toBe(k[j * n + i]);
          const rows = Array.from({ length: n }, (_, i) => Array.from(k.subarray(i * n, (i + 1) * n)));
          const eigen = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
          // Distinct points (at least 0.005 apart in some coordinate) give a strictly positive
          // spectrum; allow round-off of the largest eigenvalue's size.
          const smallest = Math.min(...eigen.realEigenvalues);
          expect(smallest).toBeGreaterThan(-1e-12 * n * signal);
        },
      ),
      { numRuns: 60 },
    );
  });
});
