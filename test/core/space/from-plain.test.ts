import { describe, expect, it } from "vitest";
import { CategoricalDomain, FloatDomain, IntDomain, SearchSpaceError, spaceFromPlain } from "../../../core/space/index.ts";

describe("spaceFromPlain", () => {
  it("builds the experiment-file leaf forms, nested objects and constants", () => {
    const space = spaceFromPlain({
      lr: { loguniform: [1e-4, 1e-1] },
      x: { uniform: [-5, 5] },
      layers: { randint: [2, 8] },
      units: { lograndint: [16, 1024] },
      act: { choice: ["relu", "tanh"] },
      optimizer: { momentum: { uniform: [0, 1] }, name: "sgd" },
      epochs: 10,
    }) as Record<string, unknown>;
    expect(space.lr).toBeInstanceOf(FloatDomain);
    expect([(space.lr as FloatDomain).name, (space.lr as FloatDomain).low, (space.lr as FloatDomain).high]).toEqual(["loguniform", 1e-4, 1e-1]);
    expect((space.x as FloatDomain).name).toBe("uniform");
    // randint's high is exclusive, as the function of the same name.
    expect([(space.layers as IntDomain).min, (space.layers as IntDomain).max]).toEqual([2, 7]);
    expect((space.units as IntDomain).name).toBe("lograndint");
    expect((space.act as CategoricalDomain<string>).options).toEqual(["relu", "tanh"]);
    expect((space.optimizer as Record<string, unknown>).momentum).toBeInstanceOf(FloatDomain);
    expect((space.optimizer as Record<string, unknown>).name).toBe("sgd");
    expect(space.epochs).toBe(10);
  });

  it.each([
    [{ lr: { loguniform: [0, 1] } }, /^lr: loguniform needs 0 < low < high/],
    [{ n: { randint: [5, 2] } }, /^n: randint needs low < high/],
    [{ a: { choice: [] } }, /^a: choice needs a non-empty list/],
    [{ a: { uniform: [1] } }, /^a: uniform needs \[low, high\]/],
    [{ a: { uniform: [0, 1], q: 2 } }, /^a: a uniform leaf takes no other keys/],
    [{ o: { b: { uniform: ["0", 1] } } }, /^o.b: uniform needs/],
    [[1, 2], /space must be an object/],
  ])("rejects %j with one line naming the leaf", (plain, message) => {
    expect(() => spaceFromPlain(plain)).toThrow(SearchSpaceError);
    expect(() => spaceFromPlain(plain)).toThrow(message);
  });
});
