/**
 * Bounds on a multivariate bad group's density (multivariate-bounds.ts, issue 14): they must
 * contain the exact logPdf of the estimator built from scratch, and TPE's choice through
 * them must be the plain argmax, ties included.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bestCandidate, exactBestCandidate } from "../../../../algorithms/searchers/tpe/best-candidate.ts";
import { WeightsMemo } from "../../../../algorithms/searchers/tpe/kernel-memo.ts";
import { MultivariateBounds } from "../../../../algorithms/searchers/tpe/multivariate-bounds.ts";
import { ParzenEstimator, defaultWeights, uniformWeights, type ParzenParameter, type ParzenSettings } from "../../../../algorithms/searchers/tpe/parzen-estimator.ts";
import { rngFor } from "../../../../core/rng.ts";

describe("MultivariateBounds", () => {
  it("contain the exact logPdf and give the plain argmax, for spread, clustered and tied candidates", () => {
    const rng = rngFor(5, "multivariate-bounds-test");
    let bounded = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(70, 300, 1200),
        fc.constantFrom(2, 6),
        fc.constantFrom("bandwidth-weighted" as const, "normalized" as const),
        fc.constantFrom(defaultWeights, uniformWeights),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (n, d, scoring, weights, clustered, considerMagicClip, seed) => {
          let state = seed;
          const random = (): number => ((state = (state * 48271) % 2147483647) / 2147483647);
          // Log-space and shifted bounds as well as [0, 1].
          const lows = Array.from({ length: d }, (_, p) => [0, -2, Math.log(1e-5)][p % 3] as number);
          const highs = Array.from({ length: d }, (_, p) => [1, 3, Math.log(1e-1)][p % 3] as number);
          const draw = (p: number): number => {
            const u = clustered && random() < 0.7 ? 0.4 + 0.05 * random() : random();
            return (lows[p] as number) + u * ((highs[p] as number) - (lows[p] as number));
          };
          const parameters: ParzenParameter[] = lows.map((low, p) => ({ kind: "numeric", low, high: highs[p] as number, step: null }));
          const settings: ParzenSettings = { considerPrior: true, priorWeight: 1, considerMagicClip, considerEndpoints: false, multivariate: true, weights, scoring };
          const badColumns = lows.map((_, p) => Float64Array.from({ length: n }, () => draw(p)));
          const goodColumns = lows.map((_, p) => Float64Array.from({ length: 25 }, () => draw(p)));
          const bad = new ParzenEstimator(badColumns, parameters, settings);
          const good = new ParzenEstimator(goodColumns, parameters, settings);
          const candidates = good.sample(rng, 24);
          // Ties: the plain rule keeps the earlier of equal ratios.
          for (const column of candidates) column[20] = column[3] as number;
          // A candidate on a bound.
          (candidates[0] as Float64Array)[7] = lows[0] as number;
          const bounds = MultivariateBounds.of({ columns: badColumns, lows, highs, settings, weights: new WeightsMemo() });
          expect(bounds).not.toBeNull();
          const exact = bad.logPdf(candidates);
          for (const tight of [false, true]) {
            const b = (bounds as MultivariateBounds).logPdfBounds(candidates, tight);
            for (let s = 0; s < 24; s++) {
              const v = b.value[s] as number;
              const e = exact[s] as number;
              expect(e).toBeGreaterThanOrEqual(v - 1e-12 * (1 + Math.abs(v)));
              expect(e).toBeLessThanOrEqual(v + (b.bound[s] as number) + 1e-12 * (1 + Math.abs(v)));
              if (tight) expect(b.bound[s] as number).toBeLessThan(1e-5);
              bounded++;
            }
          }
          const logL = good.logPdf(candidates);
          const density = { logPdfBounds: (x: readonly Float64Array[], tight?: boolean) => (bounds as MultivariateBounds).logPdfBounds(x, tight), logPdf: (x: readonly Float64Array[]) => bad.logPdf(x) };
          expect(bestCandidate(logL, density, candidates)).toBe(exactBestCandidate(logL, exact));
        },
      ),
      { numRuns: 40 },
    );
    expect(bounded).toBe(40 * 2 * 24);
  });

  it("declines a group with a centre outside the bounds or below 64 observations", () => {
    const settings: ParzenSettings = { considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: true, weights: defaultWeights, scoring: "bandwidth-weighted" };
    const inside = [Float64Array.from({ length: 100 }, (_, i) => i / 100), Float64Array.from({ length: 100 }, (_, i) => 1 - i / 100)];
    const of = (columns: Float64Array[]) => MultivariateBounds.of({ columns, lows: [0, 0], highs: [1, 1], settings, weights: new WeightsMemo() });
    expect(of(inside)).not.toBeNull();
    const outside = [inside[0] as Float64Array, Float64Array.from(inside[1] as Float64Array, (v, i) => (i === 5 ? 1.5 : v))];
    expect(of(outside)).toBeNull();
    expect(of(inside.map((c) => c.subarray(0, 50)))).toBeNull();
  });
});
