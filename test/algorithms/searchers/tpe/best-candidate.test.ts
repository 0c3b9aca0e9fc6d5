/**
 * TPE's argmax from bounds (issue 14): the bad group's density is bounded for every
 * candidate and computed exactly only for the contenders. The bounds must contain the
 * exact logPdf, and the chosen index must be the plain rule's, ties included.
 */
import { describe, expect, it } from "vitest";
import { bestCandidate, exactBestCandidate } from "../../../../algorithms/searchers/tpe/best-candidate.ts";
import { ParzenEstimator, type ParzenParameter, type ParzenSettings } from "../../../../algorithms/searchers/tpe/parzen-estimator.ts";
import { rngFor } from "../../../../core/rng.ts";
import { UNIVARIATE_SETTINGS, candidateCase, parkMiller } from "./fixtures.ts";

const numeric: Extract<ParzenParameter, { kind: "numeric" }> = { kind: "numeric", low: -1, high: 3, step: null };
const settings: ParzenSettings = { ...UNIVARIATE_SETTINGS, scoring: "bandwidth-weighted" };

describe("bestCandidate", () => {
  it("bounds contain the exact logPdf and the choice equals the plain argmax, spread, clustered and tied candidates", () => {
    const random = parkMiller(7);
    const rng = rngFor(3, "best-candidate-test");
    let bounded = 0;
    let cases = 0;
    for (const n of [80, 500, 2000]) {
      for (const scoring of ["bandwidth-weighted", "normalized"] as const) {
        for (let repeat = 0; repeat < 12; repeat++) {
          const { bad, candidates, logL, exact } = candidateCase(numeric, { ...settings, scoring }, n, repeat, random, rng);
          for (const tight of [false, true]) {
            const bounds = bad.logPdfBounds(candidates, tight);
            if (bounds === null) continue;
            for (let s = 0; s < 24; s++) {
              const v = bounds.value[s] as number;
              const e = exact[s] as number;
              expect(e).toBeGreaterThanOrEqual(v - 1e-12 * (1 + Math.abs(v)));
              expect(e).toBeLessThanOrEqual(v + (bounds.bound[s] as number) + 1e-12 * (1 + Math.abs(v)));
              if (tight) expect(bounds.bound[s] as number).toBeLessThan(1e-3);
              bounded++;
            }
          }
          expect(bestCandidate(logL, bad, candidates)).toBe(exactBestCandidate(logL, exact));
          cases++;
        }
      }
    }
    expect(cases).toBe(72);
    // The windowed estimators (n >= 500 at least) were bounded.
    expect(bounded).toBeGreaterThanOrEqual(2 * 48 * 24);
  });

  it("with a cheap lower bound, bounds only candidates that can still win and still gives the plain argmax, ties included", () => {
    const random = parkMiller(11);
    const rng = rngFor(4, "best-candidate-lazy-test");
    let bounded = 0;
    let cases = 0;
    for (const n of [80, 600]) {
      for (let repeat = 0; repeat < 16; repeat++) {
        const { bad, candidates, logL, exact } = candidateCase(numeric, settings, n, repeat, random, rng);
        // Valid lower bounds: exact (the tightest, so ties meet at the cut), or below it by a little or a lot.
        const gaps = [0, 0, 1e-3, 0.5, 5];
        const lower = Float64Array.from(exact, (e) => e - (gaps[Math.floor(random() * gaps.length)] as number));
        const density = {
          logPdfBounds: (x: readonly Float64Array[], tight?: boolean) => {
            bounded += (x[0] as Float64Array).length;
            return bad.logPdfBounds(x, tight);
          },
          logPdf: (x: readonly Float64Array[]) => bad.logPdf(x),
          logPdfLower: () => lower,
        };
        expect(bestCandidate(logL, density, candidates)).toBe(exactBestCandidate(logL, exact));
        cases++;
      }
    }
    expect(cases).toBe(32);
    // Most candidates are never bounded (the plain first pass bounds all 24 of each case).
    expect(bounded).toBeLessThan(32 * 12);
  });

  it("keeps the first of exactly tied candidates", () => {
    const bad = new ParzenEstimator([Float64Array.from({ length: 600 }, (_, i) => -1 + (4 * ((i * 0.618034) % 1)))], [numeric], settings);
    const xs = new Float64Array(24).fill(0.25);
    xs[0] = 2.9;
    const logL = new Float64Array(24).fill(0);
    expect(bestCandidate(logL, bad, [xs])).toBe(exactBestCandidate(logL, bad.logPdf([xs])));
    expect(bestCandidate(logL, bad, [xs])).toBe(exactBestCandidate(logL, bad.logPdf([xs])));
    // With cheap lower bounds that rank later candidates first, the earliest of the tie still wins.
    const exact = bad.logPdf([xs]);
    const lower = Float64Array.from(exact, (e, s) => e - 1e-3 * s);
    const lazy = { logPdfBounds: bad.logPdfBounds.bind(bad), logPdf: bad.logPdf.bind(bad), logPdfLower: () => lower };
    expect(exactBestCandidate(logL, exact)).toBe(1);
    expect(bestCandidate(logL, lazy, [xs])).toBe(1);
  });
});
