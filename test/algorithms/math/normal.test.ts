import { describe, expect, it } from "vitest";
import { logGaussMass, logNdtr, ndtr, ndtri } from "../../../algorithms/math/normal.ts";

// Reference values: 0.5 * erfc(-x / sqrt 2) from CPython's math.erfc (libm).
const REFERENCE: Array<[number, number]> = [
  [-20, 2.7536241186063314e-89],
  [-10, 7.619853024160593e-24],
  [-5, 2.866515718791946e-7],
  [-1, 0.15865525393145707],
  [0.5, 0.6914624612740131],
  [2.9, 0.998134186699616],
  [5, 0.9999997133484281],
];

describe("normal numerics", () => {
  it("ndtr and logNdtr match libm to 2e-7 relative, far tails included", () => {
    for (const [x, phi] of REFERENCE) {
      expect(Math.abs(ndtr(x) / phi - 1)).toBeLessThan(2e-7);
      expect(Math.abs(logNdtr(x) - Math.log(phi))).toBeLessThan(2e-7);
    }
    // log Phi(-40) = -804.608442013754 (asymptotic series), where Phi itself underflows.
    expect(logNdtr(-40)).toBeCloseTo(-804.608442013754, 5);
  });

  it("ndtri inverts ndtr", () => {
    for (const x of [-8, -3, -1, 0.2, 2, 6]) expect(ndtri(ndtr(x))).toBeCloseTo(x, 5);
  });

  it("logGaussMass stays finite 50 sigmas out and agrees with the plain difference near the centre", () => {
    expect(Number.isFinite(logGaussMass(50, 50.01))).toBe(true);
    expect(logGaussMass(-50.01, -50)).toBeCloseTo(logGaussMass(50, 50.01), 9);
    expect(Math.exp(logGaussMass(-1, 2))).toBeCloseTo(ndtr(2) - ndtr(-1), 7);
  });
});
