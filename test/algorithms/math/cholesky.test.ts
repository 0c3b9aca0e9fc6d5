/** The flat Cholesky of gaussian-process.ts is ml-matrix's CholeskyDecomposition to the bit (issue 14 rewrote it for speed). */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { cholesky } from "../../../algorithms/math/gaussian-process.ts";
import { kernelMatrix } from "../../../algorithms/math/kernels.ts";

describe("cholesky", () => {
  it("gives ml-matrix's factor bit for bit on kernel matrices, and null where it is not positive definite", () => {
    let seed = 11;
    const random = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (const n of [1, 7, 40]) {
      const x = Float64Array.from({ length: n * 3 }, random);
      const k = kernelMatrix(x, n, { kernel: "matern52", lengthscales: Float64Array.of(0.3, 0.5, 0.2), signalVariance: 1.3 });
      for (let i = 0; i < n; i++) k[i * n + i] = 1.3 + 1e-6;
      const ours = cholesky(k, n) as Float64Array;
      const rows = Array.from({ length: n }, (_, i) => Array.from(k.subarray(i * n, (i + 1) * n)));
      const reference = new CholeskyDecomposition(new Matrix(rows)).lowerTriangularMatrix;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Object.is(ours[i * n + j], reference.get(i, j))).toBe(true);
    }
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2)).toBeNull();
    expect(() => cholesky(Float64Array.of(1, 0.5, 0.4, 1), 2)).toThrow(/not symmetric/);
  });
});
