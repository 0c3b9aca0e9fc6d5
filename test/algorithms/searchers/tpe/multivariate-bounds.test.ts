/**
 * Bounds on a multivariate bad group's density (multivariate-bounds.ts, issue 14): they must
 * contain the exact logPdf of the estimator built from scratch, and TPE's choice through
 * them must be the plain argmax, ties included. Over a kept tree (the searcher's way) the
 * bad group changes between calls while trials are added, and the bounds still contain it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bestCandidate, exactBestCandidate } from "../../../../algorithms/searchers/tpe/best-candidate.ts";
import { WeightsMemo } from "../../../../algorithms/searchers/tpe/kernel-memo.ts";
import { CentreKdTree } from "../../../../algorithms/searchers/tpe/centre-kd-tree.ts";
import { MultivariateBounds } from "../../../../algorithms/searchers/tpe/multivariate-bounds.ts";
import { ParzenEstimator, defaultWeights, uniformWeights, type ParzenParameter, type ParzenSettings } from "../../../../algorithms/searchers/tpe/parzen-estimator.ts";
import { rngFor } from "../../../../core/rng.ts";
import { parkMiller } from "./fixtures.ts";

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
          const random = parkMiller(seed);
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
          // The cheap lower bound (the prior's score) is below the exact density and below the bounds' value.
          const lower = (bounds as MultivariateBounds).logPdfLower(candidates);
          for (const tight of [false, "middle", true] as const) {
            const b = tight === "middle" ? (bounds as MultivariateBounds).logPdfBoundsMiddle(candidates) : (bounds as MultivariateBounds).logPdfBounds(candidates, tight);
            for (let s = 0; s < 24; s++) {
              const v = b.value[s] as number;
              const e = exact[s] as number;
              expect(e).toBeGreaterThanOrEqual((lower[s] as number) - 1e-12 * (1 + Math.abs(v)));
              expect(v).toBeGreaterThanOrEqual(lower[s] as number);
              expect(e).toBeGreaterThanOrEqual(v - 1e-12 * (1 + Math.abs(v)));
              expect(e).toBeLessThanOrEqual(v + (b.bound[s] as number) + 1e-12 * (1 + Math.abs(v)));
              if (tight === true) expect(b.bound[s] as number).toBeLessThan(1e-5);
              if (tight === "middle") expect(b.bound[s] as number).toBeLessThan(1e-2);
              bounded++;
            }
          }
          const logL = good.logPdf(candidates);
          const density = { logPdfBounds: (x: readonly Float64Array[], tight?: boolean) => (bounds as MultivariateBounds).logPdfBounds(x, tight), logPdf: (x: readonly Float64Array[]) => bad.logPdf(x) };
          expect(bestCandidate(logL, density, candidates)).toBe(exactBestCandidate(logL, exact));
          // The searcher's way: with the cheap lower bound, only the candidates that can still win are bounded.
          const b = bounds as MultivariateBounds;
          const lazy = {
            ...density,
            logPdfLower: (x: readonly Float64Array[]) => b.logPdfLower(x),
            logPdfBoundsMiddle: (x: readonly Float64Array[]) => b.logPdfBoundsMiddle(x),
            logPdfBoundsOrDominated: (x: readonly Float64Array[], l: Float64Array, cut: number) => b.logPdfBoundsOrDominated(x, l, cut),
          };
          expect(bestCandidate(logL, lazy, candidates)).toBe(exactBestCandidate(logL, exact));
        },
      ),
      { numRuns: 40 },
    );
    expect(bounded).toBe(40 * 3 * 24);
  });

  it("over a kept tree, contain the exact logPdf while trials are added and the bad group changes between calls", () => {
    const rng = rngFor(7, "multivariate-bounds-kept-test");
    let bounded = 0;
    let stopped = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(2, 6),
        fc.integer({ min: 70, max: 1200 }),
        fc.constantFrom("uniform", "clustered", "duplicates"),
        fc.constantFrom("bandwidth-weighted" as const, "normalized" as const),
        fc.constantFrom(defaultWeights, uniformWeights),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (d, total, layout, scoring, weights, considerMagicClip, seed) => {
          const random = parkMiller(seed);
          const lows = Array.from({ length: d }, (_, p) => [0, -2, Math.log(1e-5)][p % 3] as number);
          const highs = Array.from({ length: d }, (_, p) => [1, 3, Math.log(1e-1)][p % 3] as number);
          const at = (p: number, u: number): number => (u === 1 ? (highs[p] as number) : Math.min((lows[p] as number) + u * ((highs[p] as number) - (lows[p] as number)), highs[p] as number));
          // Per-trial columns as the searcher keeps them; NaN in the first: the block is inactive there.
          const values = lows.map(() => new Float64Array(total));
          const repeated = Array.from({ length: d }, () => random());
          for (let i = 0; i < total; i++) {
            const clustered = layout === "clustered" && random() < 0.7;
            const duplicate = layout === "duplicates" && random() < 0.5;
            for (let p = 0; p < d; p++) {
              const u = duplicate ? (repeated[p] as number) : clustered ? 0.4 + 0.05 * random() : random();
              // Some centres exactly on a bound.
              (values[p] as Float64Array)[i] = at(p, i % 53 === 7 ? 0 : i % 59 === 11 ? 1 : u);
            }
            if (i % 41 === 3) (values[0] as Float64Array)[i] = Number.NaN;
          }
          const parameters: ParzenParameter[] = lows.map((low, p) => ({ kind: "numeric", low, high: highs[p] as number, step: null }));
          const settings: ParzenSettings = { considerPrior: true, priorWeight: 1, considerMagicClip, considerEndpoints: false, multivariate: true, weights, scoring };
          const tree = new CentreKdTree(lows, highs);
          // Three suggestions: more trials each time, and a bad group drawn afresh (trials move in and out).
          for (const count of [Math.max(70, Math.floor(total / 3)), Math.max(70, Math.floor((2 * total) / 3)), total]) {
            const ids = Int32Array.from(Array.from({ length: count }, (_, i) => i).filter(() => random() < 0.9));
            const members = Array.from(ids).filter((i) => !Number.isNaN((values[0] as Float64Array)[i] as number));
            const bounds = MultivariateBounds.kept({ tree, values, count, ids, settings, weights: new WeightsMemo() });
            if (members.length < 64) {
              expect(bounds).toBeNull();
              continue;
            }
            expect(bounds).not.toBeNull();
            const badColumns = values.map((column) => Float64Array.from(members, (i) => column[i] as number));
            const bad = new ParzenEstimator(badColumns, parameters, settings);
            // Candidates: spread, at centres, on the bounds, and one outside.
            const candidates = lows.map((_, p) =>
              Float64Array.from({ length: 24 }, (_, s) =>
                s < 8 ? at(p, random()) : s < 14 ? ((badColumns[p] as Float64Array)[Math.floor(random() * members.length)] as number) : s < 17 ? (s === 15 ? (lows[p] as number) : (highs[p] as number)) : at(p, 0.4 + 0.05 * random()),
              ),
            );
            (candidates[0] as Float64Array)[23] = (highs[0] as number) + 1;
            const exact = bad.logPdf(candidates);
            const lower = (bounds as MultivariateBounds).logPdfLower(candidates);
            // The first pass with a cut (bestLower 0, ratios logL - g spread over [-1, 1]): a walk stopped
            // early reports an exact part (at most g) that shows the cut; one not stopped, the first pass's bounds.
            const logL = Float64Array.from(exact, (e) => e + 2 * random() - 1);
            const cut = (bounds as MultivariateBounds).logPdfBoundsOrDominated(candidates, logL, 0);
            for (let s = 0; s < 23; s++) {
              const v = cut.value[s] as number;
              const e = exact[s] as number;
              expect(e).toBeGreaterThanOrEqual(v - 1e-12 * (1 + Math.abs(v)));
              if (cut.bound[s] === Infinity) {
                stopped++;
                expect((logL[s] as number) - v + 1e-9 * (1 + Math.abs(logL[s] as number) + Math.abs(v))).toBeLessThan(0);
              } else expect(e).toBeLessThanOrEqual(v + (cut.bound[s] as number) + 1e-12 * (1 + Math.abs(v)));
            }
            for (const tight of [false, "middle", true] as const) {
              const b = tight === "middle" ? (bounds as MultivariateBounds).logPdfBoundsMiddle(candidates) : (bounds as MultivariateBounds).logPdfBounds(candidates, tight);
              for (let s = 0; s < 24; s++) {
                const v = b.value[s] as number;
                const e = exact[s] as number;
                if (s === 23) {
                  expect(v).toBe(-Infinity);
                  expect(e).toBe(-Infinity);
                  expect(lower[s]).toBe(-Infinity);
                  continue;
                }
                expect(e).toBeGreaterThanOrEqual((lower[s] as number) - 1e-12 * (1 + Math.abs(v)));
                expect(v).toBeGreaterThanOrEqual(lower[s] as number);
                expect(e).toBeGreaterThanOrEqual(v - 1e-12 * (1 + Math.abs(v)));
                expect(e).toBeLessThanOrEqual(v + (b.bound[s] as number) + 1e-12 * (1 + Math.abs(v)));
                if (tight === true) expect(b.bound[s] as number).toBeLessThan(1e-5);
                if (tight === "middle") expect(b.bound[s] as number).toBeLessThan(1e-2);
                bounded++;
              }
            }
            void rng;
          }
        },
      ),
      { numRuns: 25 },
    );
    expect(bounded).toBeGreaterThan(25 * 3 * 23);
    // Some walks stopped early.
    expect(stopped).toBeGreaterThan(0);
  });

  it("over a kept tree, bound every component's exact offset while the bad group grows a little, shrinks and grows (the kept grid)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 6),
        fc.constantFrom("uniform", "edges"),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (d, layout, considerMagicClip, seed) => {
          const random = parkMiller(seed);
          const lows = Array.from({ length: d }, (_, p) => [0, -2, Math.log(1e-5)][p % 3] as number);
          const highs = Array.from({ length: d }, (_, p) => [1, 3, Math.log(1e-1)][p % 3] as number);
          const total = 1500;
          // "edges": centres within a few bandwidths of the bounds, where the masses depend on the bandwidth.
          const values = lows.map((low, p) =>
            Float64Array.from({ length: total }, () => {
              const u = layout === "edges" ? (random() < 0.5 ? 0.3 * random() : 1 - 0.3 * random()) : random();
              return Math.min(low + u * ((highs[p] as number) - low), highs[p] as number);
            }),
          );
          const settings: ParzenSettings = { considerPrior: true, priorWeight: 1, considerMagicClip, considerEndpoints: false, multivariate: true, weights: defaultWeights, scoring: "bandwidth-weighted" };
          const tree = new CentreKdTree(lows, highs);
          // Bad-group sizes: growing by a little (the grid kept at a larger bandwidth), a large drop (a larger bandwidth: the grid must be redone), growth again.
          for (const [count, size] of [[1200, 1100], [1210, 1110], [1230, 1130], [1230, 80], [1240, 90], [1500, 1400], [1500, 1405]] as const) {
            const ids = Int32Array.from({ length: size }, (_, i) => Math.floor((i * count) / size));
            const bounds = MultivariateBounds.kept({ tree, values, count, ids, settings, weights: new WeightsMemo() }) as MultivariateBounds;
            expect(bounds).not.toBeNull();
            const { exact, upper } = bounds.offsetsAndUppers();
            expect(exact.length).toBe(size);
            for (let c = 0; c < size; c++) expect(exact[c] as number).toBeLessThanOrEqual(upper[c] as number);
          }
        },
      ),
      { numRuns: 8 },
    );
  });

  it("refuses bounds made for a membership the tree no longer holds", () => {
    const settings: ParzenSettings = { considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: true, weights: defaultWeights, scoring: "bandwidth-weighted" };
    const values = [Float64Array.from({ length: 100 }, (_, i) => i / 100), Float64Array.from({ length: 100 }, (_, i) => 1 - i / 100)];
    const tree = new CentreKdTree([0, 0], [1, 1]);
    const of = (ids: Int32Array) => MultivariateBounds.kept({ tree, values, count: 100, ids, settings, weights: new WeightsMemo() }) as MultivariateBounds;
    const first = of(Int32Array.from({ length: 90 }, (_, i) => i));
    of(Int32Array.from({ length: 90 }, (_, i) => i + 10));
    expect(() => first.logPdfBounds([Float64Array.of(0.5), Float64Array.of(0.5)])).toThrow(/bad group was replaced/);
    expect(() => first.logPdfLower([Float64Array.of(0.5), Float64Array.of(0.5)])).toThrow(/bad group was replaced/);
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
