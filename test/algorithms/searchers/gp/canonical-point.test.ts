import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalPoint } from "../../../../algorithms/searchers/gp/canonical-point.ts";
import {
  choice,
  createEncoding,
  lograndint,
  loguniform,
  qlograndint,
  qrandint,
  qrandn,
  quniform,
  randint,
  randn,
  sampleFrom,
  uniform,
  type Space,
} from "../../../../core/space/index.ts";

/** encode(decode(z)), the map canonicalPoint must reproduce bit for bit. */
function roundTrip(space: Space): (z: Float64Array) => Float64Array {
  const encoding = createEncoding(space, { categorical: "onehot" });
  return (z) => encoding.encode(encoding.decode(z));
}

const sameFloats = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, k) => Object.is(v, b[k]));

describe("canonicalPoint", () => {
  // LCBench's kind of space: log-scale integers and floats, plus every other numeric domain.
  const numeric: Space = {
    batch: lograndint(16, 512),
    lr: loguniform(1e-4, 1e-1),
    dropout: uniform(0, 1),
    units: qlograndint(64, 1024, 64),
    layers: randint(1, 5),
    step: qrandint(0, 100, 5),
    ratio: quniform(0, 1, 0.1),
    noise: randn(0, 1),
    rounded: qrandn(2, 3, 0.5),
    nested: { width: randint(2, 9), derived: sampleFrom((c) => (c as { dropout: number }).dropout * 2) },
  };

  it("equals encode(decode(z)) on a space of numeric leaves, to the bit", () => {
    const encoding = createEncoding(numeric, { categorical: "onehot" });
    const fast = canonicalPoint(encoding);
    const slow = roundTrip(numeric);
    const d = encoding.size;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.5, 1 - 1e-16, -0.1, 1.3)), { minLength: d, maxLength: d }), (values) => {
        const z = Float64Array.from(values);
        const expected = slow(Float64Array.from(z));
        return sameFloats(fast(z), expected);
      }),
      { numRuns: 500, seed: 14 },
    );
  });

  it("takes the round trip on spaces with categoricals or conditional branches", () => {
    const mixed: Space = { n: randint(1, 8), act: choice(["a", "b", "a"]), opt: choice([{ name: "sgd", m: uniform(0, 1) }, { name: "adam" }]) };
    const encoding = createEncoding(mixed, { categorical: "onehot" });
    const fast = canonicalPoint(encoding);
    const slow = roundTrip(mixed);
    for (let s = 0; s < 50; s++) {
      const z = Float64Array.from({ length: encoding.size }, (_, k) => ((s * 7919 + k * 104729) % 1000) / 999);
      expect(sameFloats(fast(Float64Array.from(z)), slow(z))).toBe(true);
    }
  });
});
