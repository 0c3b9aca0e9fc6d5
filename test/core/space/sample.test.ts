import { describe, expect, it } from "vitest";
import {
  choice,
  grid,
  lograndint,
  loguniform,
  qrandint,
  randint,
  randn,
  sampleConfig,
  sampleFrom,
  SearchSpaceError,
  FloatDomain,
  uniform,
  type Config,
} from "../../../core/space/index.ts";
import { replay, seededUniform } from "./_random.ts";

describe("sampleConfig", () => {
  it("randint never returns high, even for u just below 1", () => {
    const space = { n: randint(0, 3) };
    expect(sampleConfig(space, replay(1 - 2 ** -53)).n).toBe(2);
    const seen = new Set<unknown>();
    const random = seededUniform(1);
    for (let i = 0; i < 500; i++) seen.add(sampleConfig(space, random).n);
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it("qrandint includes the upper bound", () => {
    expect(sampleConfig({ n: qrandint(0, 10, 5) }, replay(1 - 2 ** -53)).n).toBe(10);
    expect(sampleConfig({ n: qrandint(1, 4) }, replay(0.999)).n).toBe(4);
  });

  it("uniform and lograndint keep high exclusive at u just below 1", () => {
    const top = replay(1 - 2 ** -53);
    expect(sampleConfig({ x: uniform(0, 1) }, top).x).toBeLessThan(1);
    expect(sampleConfig({ x: loguniform(1e-3, 1) }, top).x).toBeLessThan(1);
    expect(sampleConfig({ x: lograndint(1, 100) }, top).x).toBe(99);
  });

  it("passes constants through unchanged and keeps key order", () => {
    const layers = [64, 32];
    const config = sampleConfig({ name: "mlp", layers, lr: uniform(0, 1), nested: { on: true, none: null } }, seededUniform(2));
    expect(Object.keys(config)).toEqual(["name", "layers", "lr", "nested"]);
    expect(config.layers).toBe(layers);
    expect(config.nested).toEqual({ on: true, none: null });
  });

  it("samples only the chosen branch of a conditional choice", () => {
    const space = {
      optimizer: choice([
        { kind: "sgd", lr: loguniform(1e-4, 1e-1), momentum: uniform(0, 1) },
        { kind: "adam", beta1: uniform(0.8, 0.99) },
        "none",
      ]),
    };
    const random = seededUniform(3);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const optimizer = sampleConfig(space, random).optimizer;
      if (optimizer === "none") {
        seen.add("none");
        continue;
      }
      const branch = optimizer as Config;
      seen.add(branch.kind as string);
      expect(Object.keys(branch)).toEqual(branch.kind === "sgd" ? ["kind", "lr", "momentum"] : ["kind", "beta1"]);
    }
    expect([...seen].sort()).toEqual(["adam", "none", "sgd"]);
  });

  it("runs sampleFrom after every other leaf, in depth-first key order, with the partial config", () => {
    const seenBy: Config[] = [];
    const space = {
      a: sampleFrom((config) => {
        seenBy.push(structuredClone(config));
        return (config.b as number) * 2;
      }),
      b: randint(1, 10),
      nested: { c: sampleFrom((config) => (config.a as number) + 1), d: randn() },
    };
    const config = sampleConfig(space, seededUniform(4));
    expect(config.a).toBe((config.b as number) * 2);
    expect((config.nested as Config).c).toBe((config.a as number) + 1);
    expect(seenBy[0]).toEqual({ a: undefined, b: config.b, nested: { c: undefined, d: (config.nested as Config).d } });
  });

  it("passes its random source to sampleFrom", () => {
    const config = sampleConfig({ x: sampleFrom((_, random) => random()) }, replay(0.25));
    expect(config.x).toBe(0.25);
  });

  it("refuses grid leaves without an assignment and takes them from one", () => {
    const space = { model: { width: grid([16, 32]) }, lr: uniform(0, 1) };
    expect(() => sampleConfig(space, seededUniform(5))).toThrow(
      new SearchSpaceError("model.width", "grid values are not sampled randomly; use expandGrid first and pass one of its assignments"),
    );
    expect((sampleConfig(space, seededUniform(5), { "model.width": 32 }).model as Config).width).toBe(32);
    expect(() => sampleConfig(space, seededUniform(5), { "model.width": 32, lr: 0.5 })).toThrow(
      "lr: gridAssignment names no grid leaf of the space",
    );
  });

  it("samples a grid like a choice with gridAsChoice", () => {
    const values = new Set<unknown>();
    const random = seededUniform(6);
    for (let i = 0; i < 50; i++) values.add(sampleConfig({ g: grid([1, 2, 3]) }, random, undefined, { gridAsChoice: true }).g);
    expect([...values].sort()).toEqual([1, 2, 3]);
  });

  it("is deterministic for a given random source", () => {
    const space = { a: uniform(0, 1), b: choice(["x", "y", "z"]), c: randn(5, 2) };
    expect(sampleConfig(space, seededUniform(7))).toEqual(sampleConfig(space, seededUniform(7)));
  });

  it("validates before sampling", () => {
    expect(() => sampleConfig({ x: new FloatDomain("uniform", 5, 1, false, null, null) }, seededUniform(8))).toThrow("x: uniform needs low < high, got low=5 high=1");
  });
});
