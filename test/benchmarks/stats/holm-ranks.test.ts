import { describe, expect, it } from "vitest";
import { averageRanks, holmAdjust, meanRanks } from "../../../benchmarks/stats/index.ts";

describe("holmAdjust", () => {
  it("multiplies the i-th smallest p by (m - i), keeps the order by running maxima, caps at 1", () => {
    // By Holm's definition: sorted 0.005*5, 0.01*4, 0.03*3, max(0.04*2, 0.09), 0.5*1.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005, 0.5]);
    [0.04, 0.09, 0.09, 0.025, 0.5].forEach((want, i) => expect(adjusted[i]).toBeCloseTo(want, 12));
    expect(holmAdjust([0.3, 0.4])).toEqual([0.6, 0.6]);
    expect(holmAdjust([0.9, 0.8])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});

describe("ranks", () => {
  it("averageRanks shares tied ranks as scipy's rankdata does", () => {
    // scipy.stats.rankdata([10, 20, 20, 5, 20]) (scipy 1.10): [2, 4, 4, 1, 4]
    expect(averageRanks([10, 20, 20, 5, 20])).toEqual([2, 4, 4, 1, 4]);
  });

  it("meanRanks ranks methods within each task and averages over tasks; a ragged row is an error", () => {
    expect(meanRanks([[0.1, 0.2, 0.3], [0.3, 0.2, 0.1], [0, 0, 1]])).toEqual([(1 + 3 + 1.5) / 3, (2 + 2 + 1.5) / 3, (3 + 1 + 3) / 3]);
    expect(meanRanks([])).toEqual([]);
    expect(() => meanRanks([[1, 2], [1]])).toThrow("meanRanks: every task needs 2 scores, got 1");
  });
});
