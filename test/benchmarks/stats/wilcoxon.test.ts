import { describe, expect, it } from "vitest";
import { averageRanks, holmAdjust, meanRanks, wilcoxonSignedRank } from "../../../benchmarks/stats/index.ts";

// Reference values: Debian's scipy 1.10.1, `scipy.stats.wilcoxon(x, y)` with its defaults.
const U60 = [0.346, 0.822, 0.33, -1.303, 0.905, 0.446, -0.537, 0.581, 0.365, 0.294, 0.028, 0.547, -0.736, -0.163, -0.482, 0.599, 0.04, -0.292, -0.782, -0.257, 0.008, -0.276, 1.294, 1.007, -2.711, -1.889, -0.175, -0.422, 0.214, 0.217, 2.118, -1.112, -0.378, 2.043, 0.647, 0.663, -0.514, -1.648, 0.167, 0.109, -1.227, -0.683, -0.072, -0.945, -0.098, 0.095, 0.036, -0.506, 0.594, 0.891, 0.321, -0.818, 0.732, -0.501, 0.879, -1.072, 0.914, -0.02, -1.249, -0.314];
const V60 = [0.354, 0.573, -0.682, -0.807, 0.5, -0.167, 0.536, 1.06, -1.349, 0.554, 1.525, 0.002, -0.511, 1.052, 0.553, 1.196, -0.045, -1.182, 0.19, -0.146, 1.075, 0.494, -1.331, -0.895, 1.184, 0.98, -0.34, 0.299, 0.746, 0.768, 1.176, 0.556, 0.205, 0.041, 1.356, -1.951, 0.161, 0.333, -1.125, 0.633, -0.351, 1.162, 0.174, 0.969, 1.519, 0.683, -0.576, -1.214, 2.053, 0.189, -0.389, 0.444, 0.109, 1.152, 0.334, 0.314, -0.415, 0.77, -0.734, 0.966];

describe("wilcoxonSignedRank", () => {
  it("matches scipy's exact p on Fisher's corn differences (scipy's docs example)", () => {
    const d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
    const r = wilcoxonSignedRank(d, new Array<number>(d.length).fill(0));
    expect(r.statistic).toBe(24);
    expect(r.exact).toBe(true);
    expect(r.p).toBeCloseTo(0.041259765625, 12);
  });

  it("matches scipy on Hollander and Wolfe's depression scores (paired x, y)", () => {
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const r = wilcoxonSignedRank(x, y);
    expect(r.statistic).toBe(5);
    expect(r.p).toBeCloseTo(0.0390625, 12);
  });

  it("matches scipy's normal approximation with zeros and tied |d| (zeros dropped, tie-corrected variance)", () => {
    const r = wilcoxonSignedRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 2, 1, 5, 4, 6, 9, 5, 5, 8, 8, 13]);
    expect(r.n).toBe(10);
    expect(r.exact).toBe(false);
    expect(r.statistic).toBe(11);
    expect(r.p).toBeCloseTo(0.08942087390005268, 6);
  });

  it("matches scipy's normal approximation above 50 pairs", () => {
    const r = wilcoxonSignedRank(U60, V60);
    expect(r.statistic).toBe(663);
    expect(r.p).toBeCloseTo(0.06357852752398606, 6);
  });

  it("is symmetric in its samples, NaN with no difference, and names a bad input", () => {
    const x = [3, 5, 1, 9, 4];
    const y = [1, 1, 2, 2, 3];
    expect(wilcoxonSignedRank(x, y).p).toBe(wilcoxonSignedRank(y, x).p);
    expect(wilcoxonSignedRank([1, 2], [1, 2]).p).toBeNaN();
    expect(() => wilcoxonSignedRank([1], [1, 2])).toThrow(/must pair up, got 1 and 2/);
    expect(() => wilcoxonSignedRank([Number.NaN], [1])).toThrow(/pair 0 has no difference/);
  });
});

describe("holmAdjust", () => {
  it("multiplies the k-th smallest p by m - k and keeps the order (Holm 1979)", () => {
    // sorted 0.005, 0.01, 0.03, 0.04 -> 0.02, 0.03, 0.06, max(0.06, 0.04) = 0.06
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 15));
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
  });
});

describe("ranks", () => {
  it("averages tied ranks like scipy's rankdata", () => {
    expect(averageRanks([3, 1, 4, 1, 5, 9, 2, 6, 5])).toEqual([4, 1.5, 5, 1.5, 6.5, 9, 3, 8, 6.5]);
  });

  it("averages each method's rank over tasks", () => {
    expect(meanRanks([[0.1, 0.2, 0.3], [0.3, 0.2, 0.1], [0, 0, 1]])).toEqual([(1 + 3 + 1.5) / 3, (2 + 2 + 1.5) / 3, (3 + 1 + 3) / 3]);
    expect(() => meanRanks([[1, 2], [1]])).toThrow(/every task needs 2 scores, got 1/);
  });
});
