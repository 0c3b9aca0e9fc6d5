import fc from "fast-check";
import { describe, it } from "vitest";
import {
  loguniform,
  lograndint,
  qloguniform,
  qlograndint,
  qrandint,
  qrandn,
  quniform,
  randint,
  sampleConfig,
  uniform,
  validateSpace,
} from "../../../core/space/index.ts";
import { isMultipleOf, seededUniform } from "./_random.ts";

const SEED = 42;
const bounds = fc
  .tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }))
  .map(([low, width]) => ({ low, high: low + width }));
const positiveBounds = fc
  .tuple(fc.double({ min: 1e-6, max: 1e3, noNaN: true }), fc.double({ min: 1.01, max: 1e4, noNaN: true }))
  .map(([low, ratio]) => ({ low, high: low * ratio }));
const intBounds = fc.tuple(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 1, max: 500 })).map(([low, width]) => ({ low, high: low + width }));
const seeds = fc.integer({ min: 0, max: 2 ** 31 });

function draws(space: Record<string, unknown>, seed: number, n = 50): number[] {
  const random = seededUniform(seed);
  return Array.from({ length: n }, () => sampleConfig(space, random).x as number);
}

describe("sampling respects its domain", () => {
  it("uniform stays in [low, high)", () => {
    fc.assert(
      fc.property(bounds, seeds, ({ low, high }, seed) => draws({ x: uniform(low, high) }, seed).every((v) => v >= low && v < high)),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("quniform gives multiples of q inside [low, high]", () => {
    const space = fc
      .tuple(bounds, fc.double({ min: 1e-3, max: 1, noNaN: true }))
      .map(([{ low, high }, fraction]) => ({ low, high, q: (high - low) * fraction }));
    fc.assert(
      fc.property(space, seeds, ({ low, high, q }, seed) =>
        draws({ x: quniform(low, high, q) }, seed).every((v) => v >= low && v <= high && isMultipleOf(v, q)),
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("loguniform stays in [low, high) and is uniform in log space", () => {
    fc.assert(
      fc.property(positiveBounds, seeds, ({ low, high }, seed) => {
        const values = draws({ x: loguniform(low, high) }, seed, 400);
        const belowGeometricMean = values.filter((v) => v < Math.sqrt(low * high)).length / values.length;
        return values.every((v) => v >= low && v < high) && belowGeometricMean > 0.4 && belowGeometricMean < 0.6;
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it("qloguniform gives multiples of q inside [low, high]", () => {
    fc.assert(
      fc.property(positiveBounds, fc.double({ min: 1e-3, max: 0.5, noNaN: true }), seeds, ({ low, high }, fraction, seed) => {
        const q = (high - low) * fraction;
        const space = { x: qloguniform(low, high, q) };
        validateSpace(space);
        return draws(space, seed).every((v) => v >= low && v <= high && isMultipleOf(v, q));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("randint stays in [low, high) and qrandint in the multiples of q in [low, high]", () => {
    fc.assert(
      fc.property(intBounds, fc.integer({ min: 1, max: 7 }), seeds, ({ low, high }, q, seed) => {
        const plain = draws({ x: randint(low, high) }, seed).every((v) => Number.isInteger(v) && v >= low && v < high);
        const quantized = { x: qrandint(low, low + Math.max(high - low, q), q) };
        validateSpace(quantized);
        const inside = draws(quantized, seed).every((v) => Number.isInteger(v) && v % q === 0 && v >= low && v <= quantized.x.high);
        return plain && inside;
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("lograndint stays in [low, high) and qlograndint in multiples inside [low, high]", () => {
    const logInts = fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 10000 })).map(([low, extra]) => ({ low, high: low + extra }));
    fc.assert(
      fc.property(logInts, fc.integer({ min: 1, max: 5 }), seeds, ({ low, high }, q, seed) => {
        const plain = draws({ x: lograndint(low, high) }, seed).every((v) => Number.isInteger(v) && v >= low && v < high);
        const upper = Math.max(high, Math.ceil(low / q) * q);
        const quantized = draws({ x: qlograndint(low, upper, q) }, seed).every((v) => v % q === 0 && v >= low && v <= upper);
        return plain && quantized;
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("qrandn gives multiples of q", () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }), seeds, (mean, q, seed) =>
        draws({ x: qrandn(mean, 3, q) }, seed).every((v) => isMultipleOf(v, q)),
      ),
      { seed: SEED, numRuns: 100 },
    );
  });
});
