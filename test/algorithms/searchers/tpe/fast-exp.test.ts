/**
 * fastExp (fast-exp.ts): e^t within FAST_EXP_RELATIVE_ERROR on [-708, 709], 0 below,
 * Math.exp above and for NaN. The bound is what the first bounded pass widens its bounds
 * by (bad-group-pass.ts `keptBoundedLogPdf`), so it must hold everywhere; a polynomial of
 * lower degree with the same claimed bound fails the same property.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FAST_EXP_RELATIVE_ERROR, fastExp } from "../../../../algorithms/searchers/tpe/fast-exp.ts";

/** The property: relative error within the claimed bound, on random and awkward arguments. */
function withinBound(exp: (t: number) => number): fc.IProperty<[number]> {
  const awkward = fc.constantFrom(-708, 709, 0, -0, 1e-300, -1e-300, Math.LN2 / 2, -Math.LN2 / 2, 3 * Math.LN2 / 2, -40.5 * Math.LN2, -41, -8, -20, 7.999);
  return fc.property(fc.oneof(fc.double({ min: -708, max: 709, noNaN: true }), fc.double({ min: -60, max: 10, noNaN: true }), awkward), (t) => {
    const exact = Math.exp(t);
    return Math.abs(exp(t) - exact) <= FAST_EXP_RELATIVE_ERROR * exact;
  });
}

describe("fastExp", () => {
  it("is within FAST_EXP_RELATIVE_ERROR of Math.exp on [-708, 709]", () => {
    fc.assert(withinBound(fastExp), { numRuns: 20000 });
    // Worst case on a fine grid of one period of the reduction (the Taylor remainder peaks at |r| = ln 2 / 2).
    let worst = 0;
    for (let i = -4000; i <= 4000; i++) {
      const t = -30 + i * 1e-4 * Math.LN2;
      worst = Math.max(worst, Math.abs(fastExp(t) / Math.exp(t) - 1));
    }
    expect(worst).toBeLessThan(FAST_EXP_RELATIVE_ERROR);
    expect(worst).toBeGreaterThan(1e-10);
  });

  it("is 0 below -708, Math.exp above 709, NaN for NaN", () => {
    expect(fastExp(-Infinity)).toBe(0);
    expect(fastExp(-709)).toBe(0);
    expect(Math.exp(-708.0001)).toBeLessThan(1e-307);
    expect(fastExp(710)).toBe(Math.exp(710));
    expect(fastExp(Infinity)).toBe(Infinity);
    expect(fastExp(Number.NaN)).toBeNaN();
  });

  it("the property catches a polynomial one degree too short", () => {
    const short = (t: number): number => {
      const k = Math.round(t * Math.LOG2E);
      const r = t - k * Math.LN2;
      const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
      return p * 2 ** k;
    };
    expect(fc.check(withinBound(short), { numRuns: 2000, seed: 1 }).failed).toBe(true);
  });
});
