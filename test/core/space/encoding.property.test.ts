import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  choice,
  createEncoding,
  expandGrid,
  grid,
  lograndint,
  loguniform,
  qloguniform,
  qlograndint,
  qrandint,
  qrandn,
  quniform,
  randint,
  randn,
  sampleConfig,
  sampleFrom,
  uniform,
  type Space,
} from "../../../core/space/index.ts";
import { seededUniform } from "./_random.ts";

const SEED = 42;

const positive = fc.double({ min: 1e-4, max: 1e3, noNaN: true });
const ratio = fc.double({ min: 1.5, max: 1e4, noNaN: true });
const fraction = fc.double({ min: 0.01, max: 0.5, noNaN: true });
const smallInt = fc.integer({ min: -1000, max: 1000 });
const width = fc.integer({ min: 1, max: 5000 });

/** Numeric leaves with parameters chosen so validation always passes. */
const numericLeaf = fc.oneof(
  fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), positive).map(([low, w]) => uniform(low, low + w)),
  fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), positive, fraction).map(([low, w, f]) => quniform(low, low + w, w * f)),
  fc.tuple(positive, ratio).map(([low, r]) => loguniform(low, low * r)),
  fc.tuple(positive, ratio, fraction).map(([low, r, f]) => qloguniform(low, low * r, (low * r - low) * f)),
  fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), positive).map(([mean, sd]) => randn(mean, sd)),
  fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), positive, fraction).map(([mean, sd, f]) => qrandn(mean, sd, sd * f)),
  fc.tuple(smallInt, width).map(([low, w]) => randint(low, low + w)),
  fc.tuple(smallInt, width, fc.integer({ min: 1, max: 9 })).map(([low, w, q]) => qrandint(low, low + w + q, q)),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), width).map(([low, w]) => lograndint(low, low + w)),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), width, fc.integer({ min: 1, max: 9 })).map(([low, w, q]) => qlograndint(low, low + w + q, q)),
);
const constant = fc.oneof(fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.constant(null));
const key = fc.constantFrom("a", "b", "c", "d", "e");

const flatSpace = fc.dictionary(key, fc.oneof(numericLeaf, constant, fc.uniqueArray(constant, { minLength: 1, maxLength: 4 }).map((o) => choice(o))), {
  minKeys: 1,
  maxKeys: 4,
});
const space: fc.Arbitrary<Space> = fc
  .record({
    flat: flatSpace,
    conditional: fc.array(flatSpace, { minLength: 1, maxLength: 3 }).map((options) => choice(options.map((o, i) => ({ ...o, tag: i, leaf: uniform(0, 1) })))),
    gridded: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 3 }).map((values) => grid(values)),
    nested: fc.record({ inner: flatSpace, derived: fc.constant(sampleFrom((config: Record<string, unknown>) => Object.keys(config.flat as object).join(","))) }),
  })
  .map((s) => s as Space);

function closeEnough(actual: unknown, expected: unknown): boolean {
  if (typeof actual === "number" && typeof expected === "number") {
    return actual === expected || Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  if (typeof actual === "object" && actual !== null && typeof expected === "object" && expected !== null) {
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(actual).length &&
      keys.every((k) => closeEnough((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]))
    );
  }
  return Object.is(actual, expected);
}

describe("encode/decode", () => {
  it.each(["onehot", "index"] as const)("round-trips sampled configs (%s)", (categorical) => {
    fc.assert(
      fc.property(space, fc.integer({ min: 0, max: 2 ** 31 }), (s, seed) => {
        const encoding = createEncoding(s, { categorical });
        const random = seededUniform(seed);
        for (const assignment of expandGrid(s)) {
          const config = sampleConfig(s, random, assignment);
          const vector = encoding.encode(config);
          expect(vector).toHaveLength(encoding.size);
          expect(vector.every((u) => u >= 0 && u <= 1)).toBe(true);
          const decoded = encoding.decode(vector);
          if (!closeEnough(decoded, config)) expect(decoded).toEqual(config);
          const again = encoding.encode(decoded);
          expect(again.every((u, i) => Math.abs(u - (vector[i] ?? Number.NaN)) <= 1e-9)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("decodes every point of the cube to a config that re-encodes to a fixed point", () => {
    fc.assert(
      fc.property(space, fc.integer({ min: 0, max: 2 ** 31 }), (s, seed) => {
        const encoding = createEncoding(s);
        const random = seededUniform(seed);
        const vector = Array.from({ length: encoding.size }, () => random());
        const config = encoding.decode(vector);
        expect(closeEnough(encoding.decode(encoding.encode(config)), config)).toBe(true);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
