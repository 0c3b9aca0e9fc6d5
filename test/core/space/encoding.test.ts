import { describe, expect, it } from "vitest";
import {
  choice,
  createEncoding,
  grid,
  lograndint,
  loguniform,
  qrandint,
  randint,
  randn,
  sampleConfig,
  sampleFrom,
  SearchSpaceError,
  uniform,
  unitToValue,
  valueToUnit,
} from "../../../core/space/index.ts";
import { seededUniform } from "./_random.ts";

const conditional = {
  optimizer: choice([
    { kind: "sgd", lr: loguniform(1e-4, 1e-1) },
    { kind: "adam", beta1: uniform(0.8, 0.99) },
  ]),
  layers: randint(1, 5),
  seed: 7,
};

describe("createEncoding", () => {
  it("lays out one-hot dimensions with offsets and active conditions", () => {
    const encoding = createEncoding(conditional);
    expect(encoding.size).toBe(5);
    expect(encoding.dimensions.map(({ path, domainName, kind, offset, width, log, activeWhen }) => ({ path, domainName, kind, offset, width, log, activeWhen }))).toEqual([
      { path: "optimizer", domainName: "choice", kind: "categorical", offset: 0, width: 2, log: false, activeWhen: [] },
      { path: "optimizer.choice[0].lr", domainName: "loguniform", kind: "float", offset: 2, width: 1, log: true, activeWhen: [{ path: "optimizer", option: 0 }] },
      { path: "optimizer.choice[1].beta1", domainName: "uniform", kind: "float", offset: 3, width: 1, log: false, activeWhen: [{ path: "optimizer", option: 1 }] },
      { path: "layers", domainName: "randint", kind: "int", offset: 4, width: 1, log: false, activeWhen: [] },
    ]);
  });

  it("encodes inactive branches as 0.5 and integers at cell centres", () => {
    const encoding = createEncoding(conditional);
    const vector = encoding.encode({ optimizer: { kind: "adam", beta1: 0.8 }, layers: 2, seed: 7 });
    expect([...vector]).toEqual([0, 1, 0.5, 0, 1.5 / 4]);
    expect(encoding.decode(vector)).toEqual({ optimizer: { kind: "adam", beta1: 0.8 }, layers: 2, seed: 7 });
  });

  it("uses one coordinate per categorical with the index encoding", () => {
    const encoding = createEncoding({ c: choice(["a", "b", "c"]), g: grid([10, 20]) }, { categorical: "index" });
    expect(encoding.size).toBe(2);
    expect([...encoding.encode({ c: "c", g: 10 })]).toEqual([2.5 / 3, 0.25]);
    expect(encoding.decode([0.34, 0.99])).toEqual({ c: "b", g: 20 });
  });

  it("decodes one-hot by argmax, ties to the lowest index", () => {
    const encoding = createEncoding({ c: choice(["a", "b", "c"]) });
    expect(encoding.decode([0.2, 0.7, 0.7]).c).toBe("b");
    expect(encoding.decode([0.5, 0.5, 0.5]).c).toBe("a");
  });

  it("decodes any vector of the right length into a valid config", () => {
    const encoding = createEncoding({ x: uniform(0, 1), n: qrandint(0, 10, 5), l: lograndint(1, 100), z: randn(3, 2) });
    expect(encoding.decode([1, 1, 1, 1])).toEqual({ x: 1 - 2 ** -53, n: 10, l: 99, z: expect.any(Number) });
    expect(encoding.decode([0, 0, 0, 0]).n).toBe(0);
    expect(() => encoding.decode([0.5])).toThrow(new SearchSpaceError("", "decode needs a vector of length 4, got 1"));
  });

  it("re-runs sampleFrom leaves on decode and does not encode them", () => {
    const encoding = createEncoding({ a: randint(0, 10), twice: sampleFrom((config) => (config.a as number) * 2) });
    expect(encoding.size).toBe(1);
    const config = sampleConfig({ a: randint(0, 10), twice: sampleFrom((c) => (c.a as number) * 2) }, seededUniform(1));
    expect(encoding.decode(encoding.encode(config))).toEqual(config);
    const noisy = createEncoding({ r: sampleFrom((_, random) => random()) });
    expect(noisy.decode([])).toEqual(noisy.decode([]));
    expect(noisy.decode([], () => 0.25)).toEqual({ r: 0.25 });
  });

  it("names the path of a config value it cannot encode", () => {
    const encoding = createEncoding(conditional);
    expect(() => encoding.encode({ optimizer: { kind: "rmsprop" }, layers: 1, seed: 7 })).toThrow(
      "optimizer: config value matches no choice option",
    );
    expect(() => encoding.encode({ optimizer: { kind: "adam", beta1: 0.9 }, layers: "1", seed: 7 })).toThrow(
      "layers: expected a number in the config, got string",
    );
  });

  it("maps randn through the normal CDF", () => {
    const domain = randn(10, 2);
    expect(valueToUnit(domain, 10)).toBeCloseTo(0.5, 15);
    expect(valueToUnit(domain, 10 + 2 * 1.959963984540054)).toBeCloseTo(0.975, 12);
    expect(unitToValue(domain, 0.975)).toBeCloseTo(10 + 2 * 1.959963984540054, 9);
    expect(Number.isFinite(unitToValue(domain, 0))).toBe(true);
    expect(Number.isFinite(unitToValue(domain, 1))).toBe(true);
  });
});
