import { describe, expect, it } from "vitest";
import { median } from "../../../benchmarks/stats/index.ts";
import { medianInterval, resampledChance } from "../../../benchmarks/stats/index.ts";

describe("resampledChance", () => {
  it("is 1 for a criterion that always holds and 0 for one that never does", () => {
    expect(resampledChance([[1, 2, 3]], 5, () => true, { draws: 50 })).toBe(1);
    expect(resampledChance([[1, 2, 3]], 5, () => false, { draws: 50 })).toBe(0);
  });

  it("matches the binomial chance of a one-draw criterion", () => {
    // One draw from {0, 1, 2, 3} is below 1 with probability 1/4; 20,000 draws put the estimate within 0.01 (4.9 sd).
    const chance = resampledChance([[0, 1, 2, 3]], 1, ([s]) => (s?.[0] as number) < 1, { draws: 20_000 });
    expect(Math.abs(chance - 0.25)).toBeLessThan(0.01);
  });

  it("matches the exact chance that one sample's median of 3 is below another's", () => {
    // Pools {0, 1} and {0.5}: a median of 3 draws from {0, 1} is 0 with probability 1/2, and only then below 0.5.
    const chance = resampledChance([[0, 1], [0.5]], 3, ([a, b]) => median(a as number[]) < median(b as number[]), { draws: 20_000 });
    expect(Math.abs(chance - 0.5)).toBeLessThan(0.015);
  });

  it("is seeded: the same inputs give the same answer, another seed another draw", () => {
    const pools = [[1, 5, 2, 8, 3], [2, 4, 6, 1, 9]];
    const criterion = ([a, b]: readonly number[][]) => median(a as number[]) <= median(b as number[]);
    expect(resampledChance(pools, 4, criterion, { seed: 3, draws: 200 })).toBe(resampledChance(pools, 4, criterion, { seed: 3, draws: 200 }));
    expect(resampledChance(pools, 4, criterion, { seed: 3, draws: 200 })).not.toBe(resampledChance(pools, 4, criterion, { seed: 4, draws: 200 }));
  });

  it("names the bad argument", () => {
    expect(() => resampledChance([[1]], 0, () => true)).toThrow(/size must be an integer >= 1, got 0/);
    expect(() => resampledChance([[1]], 1, () => true, { draws: 0.5 })).toThrow(/draws must be an integer >= 1, got 0.5/);
    expect(() => resampledChance([[1], []], 1, () => true)).toThrow(/pool 1 is empty/);
  });
});

describe("medianInterval", () => {
  it("brackets the sample median and narrows with more data", () => {
    const small = Array.from({ length: 10 }, (_, i) => i);
    const large = Array.from({ length: 1000 }, (_, i) => i / 100);
    const [a, b] = medianInterval(small);
    expect(a).toBeLessThanOrEqual(median(small));
    expect(b).toBeGreaterThanOrEqual(median(small));
    const [c, d] = medianInterval(large);
    // Values 0..9.99 evenly: the median's standard error is about 0.16, so the 95% interval is about +-0.3.
    expect(c).toBeGreaterThan(4.4);
    expect(d).toBeLessThan(5.6);
    expect(d - c).toBeLessThan((b - a) / 2);
  });
});
