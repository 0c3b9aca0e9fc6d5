import { describe, expect, it } from "vitest";
import { mannWhitneyU, median, quantile } from "../../../benchmarks/stats/index.ts";

describe("compare-pbt statistics", () => {
  it("computes medians and quartiles like numpy (linear interpolation), with infinities", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(median([1, Infinity, Infinity])).toBe(Infinity);
    expect(median([])).toBeNaN();
  });

  it("gives the exact Mann-Whitney p-value for small samples without ties", () => {
    // Complete separation of 5 vs 5: p = 2 / C(10, 5) = 2 / 252 (scipy: 0.007937).
    const r = mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
    expect(r).toEqual({ u: 25, p: 2 / 252, exact: true });
    expect(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).p).toBeCloseTo(2 / 252, 15);
    // Against brute force over all C(9, 4) = 126 ways to split the pooled values.
    const x = [1, 4, 7, 10];
    const y = [2, 3, 5, 6, 8];
    const s = mannWhitneyU(x, y);
    expect(s.u).toBe(11);
    const pooled = [...x, ...y];
    const us: number[] = [];
    for (let mask = 0; mask < 1 << 9; mask++) {
      if (mask.toString(2).split("1").length - 1 !== 4) continue;
      const a = pooled.filter((_, i) => mask & (1 << i));
      const b = pooled.filter((_, i) => !(mask & (1 << i)));
      us.push(a.reduce((sum, v) => sum + b.filter((w) => v > w).length, 0));
    }
    const extreme = Math.min(11, 20 - 11);
    const tail = us.filter((u) => u <= extreme).length / us.length;
    expect(s.p).toBeCloseTo(2 * tail, 12);
    // 10 vs 10 fully separated: 2 / C(20, 10).
    const ten = Array.from({ length: 10 }, (_, i) => i);
    expect(mannWhitneyU(ten.map((v) => v + 10), ten).p).toBeCloseTo(2 / 184756, 15);
  });

  it("uses the normal approximation with tie correction when there are ties (infinite values tie too)", () => {
    // U = 4.5; ties 2 x3, 3 x2, 6 x2: var = 25/12 (11 - 36/90) = 22.083; z = (8 - 0.5) / 4.699 = 1.596; p = 0.1105 (as scipy's asymptotic method).
    const r = mannWhitneyU([1, 2, 2, 3, 4], [2, 3, 5, 6, 6]);
    expect(r.u).toBe(4.5);
    expect(r.exact).toBe(false);
    expect(r.p).toBeCloseTo(0.1105, 3);
    expect(mannWhitneyU([Infinity, Infinity], [Infinity, Infinity]).p).toBe(1);
    expect(mannWhitneyU([1, 2, 3], [Infinity, Infinity, Infinity]).u).toBe(0);
  });
});
