import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { spaceFromPlain, spaceToPlain } from "../../../core/space/from-plain.ts";
import { validateSpace } from "../../../core/space/index.ts";

// Valid file-form leaves: bounds drawn so each builder's own rules hold.
const low = fc.integer({ min: -50, max: 50 });
const span = fc.integer({ min: 1, max: 100 });
const positive = fc.integer({ min: 1, max: 50 });
const constant = fc.oneof(fc.integer({ min: -9, max: 9 }), fc.constantFrom("relu", "tanh", "sgd"), fc.boolean(), fc.constant(null));
const key = fc.constantFrom("lr", "layers", "act", "width", "depth", "opt");

const numericLeaf = fc.oneof(
  fc.tuple(low, span).map(([l, s]) => ({ uniform: [l, l + s] })),
  fc.tuple(low, span).map(([l, s]) => ({ randint: [l, l + s] })),
  fc.tuple(positive, span).map(([l, s]) => ({ loguniform: [l, l + s] })),
  fc.tuple(positive, span, fc.constantFrom(2, 3)).map(([l, s, b]) => ({ lograndint: [l, l + s, b] })),
  fc.tuple(low, fc.integer({ min: 10, max: 100 }), fc.constantFrom(2, 5)).map(([l, s, q]) => ({ qrandint: [l, l + s, q] })),
  fc.tuple(low, positive).map(([m, sd]) => ({ randn: [m, sd] })),
);

const subSpace = fc.dictionary(key, fc.oneof(numericLeaf, constant), { minKeys: 1, maxKeys: 3 });
const leaf = fc.oneof(
  numericLeaf,
  constant,
  fc.array(constant, { minLength: 1, maxLength: 4 }).map((options) => ({ choice: options })),
  fc.array(subSpace, { minLength: 1, maxLength: 3 }).map((options) => ({ choice: options })),
);
const plainSpace = fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, leaf, { minKeys: 1, maxKeys: 3 })), { minKeys: 1, maxKeys: 4 });

describe("spaceFromPlain / spaceToPlain", () => {
  it("every valid file-form space parses, validates and renders back to itself", () => {
    fc.assert(
      fc.property(plainSpace, (plain) => {
        const space = spaceFromPlain(plain);
        validateSpace(space);
        expect(spaceToPlain(space)).toEqual(plain);
      }),
      { numRuns: 200, seed: 9 },
    );
  });
});
