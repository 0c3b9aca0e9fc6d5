import { describe, expect, it } from "vitest";
import {
  choice,
  countGridVariants,
  expandGrid,
  grid,
  GridDomain,
  lograndint,
  loguniform,
  qloguniform,
  qrandint,
  quniform,
  randint,
  randn,
  sampleConfig,
  SearchSpaceError,
  toGridSpace,
  uniform,
} from "../../../core/space/index.ts";
import { seededUniform } from "./_random.ts";

describe("expandGrid", () => {
  it("returns [{}] without grid leaves", () => {
    expect(expandGrid({ lr: uniform(0, 1), k: 1 })).toEqual([{}]);
    expect(countGridVariants({ lr: uniform(0, 1) })).toBe(1);
  });

  it("takes the cartesian product, last key varying fastest", () => {
    const space = { a: grid([1, 2]), nested: { b: grid(["x", "y", "z"]) }, lr: uniform(0, 1), c: grid([true]) };
    expect(expandGrid(space)).toEqual([
      { a: 1, "nested.b": "x", c: true },
      { a: 1, "nested.b": "y", c: true },
      { a: 1, "nested.b": "z", c: true },
      { a: 2, "nested.b": "x", c: true },
      { a: 2, "nested.b": "y", c: true },
      { a: 2, "nested.b": "z", c: true },
    ]);
    expect(countGridVariants(space)).toBe(6);
  });

  it("counts the product of grid sizes", () => {
    const space = { a: grid([1, 2, 3]), b: { c: grid([1, 2, 3, 4]), d: grid([0, 1]) } };
    expect(countGridVariants(space)).toBe(24);
    expect(expandGrid(space)).toHaveLength(24);
    expect(new Set(expandGrid(space).map((a) => JSON.stringify(a))).size).toBe(24);
  });

  it("feeds sampleConfig", () => {
    const space = { a: grid([1, 2]), nested: { b: grid(["x", "y"]) }, lr: uniform(0, 1) };
    const random = seededUniform(1);
    const configs = expandGrid(space).map((assignment) => sampleConfig(space, random, assignment));
    expect(configs.map((c) => [c.a, (c.nested as { b: string }).b])).toEqual([
      [1, "x"],
      [1, "y"],
      [2, "x"],
      [2, "y"],
    ]);
  });
});

function gridValues(value: unknown): readonly unknown[] {
  if (!(value instanceof GridDomain)) throw new Error("expected a grid");
  return value.values;
}

describe("toGridSpace", () => {
  it("spaces points evenly, in log space for log domains", () => {
    const gridded = toGridSpace({ a: uniform(0, 1), b: loguniform(1, 100) }, 3);
    expect(gridValues(gridded.a)).toEqual([0, 0.5, 1]);
    const b = gridValues(gridded.b) as number[];
    expect(b[0]).toBe(1);
    expect(b[1]).toBeCloseTo(10, 12);
    expect(b[2]).toBe(100);
  });

  it("uses the midpoint for a single point", () => {
    expect(gridValues(toGridSpace({ a: uniform(2, 4) }, 1).a)).toEqual([3]);
  });

  it("quantizes and de-duplicates", () => {
    const gridded = toGridSpace({ q: quniform(0, 1, 0.5), n: randint(0, 3), m: qrandint(0, 10, 5), l: lograndint(1, 4), ql: qloguniform(1, 100, 10) }, 5);
    expect(gridValues(gridded.q)).toEqual([0, 0.5, 1]);
    expect(gridValues(gridded.n)).toEqual([0, 1, 2]);
    expect(gridValues(gridded.m)).toEqual([0, 5, 10]);
    expect(gridValues(gridded.l)).toEqual([1, 2, 3]);
    expect(gridValues(gridded.ql)).toEqual([10, 30, 100]);
  });

  it("turns constant choices into grids and keeps randn, conditional choices and constants", () => {
    const normal = randn();
    const conditional = choice([{ kind: "a", x: uniform(0, 1) }, { kind: "b" }]);
    const gridded = toGridSpace({ c: choice(["x", "y"]), r: normal, cond: conditional, k: 7, nested: { u: uniform(0, 1) } }, 2);
    expect(gridValues(gridded.c)).toEqual(["x", "y"]);
    expect(gridded.r).toBe(normal);
    expect(gridded.cond).toBe(conditional);
    expect(gridded.k).toBe(7);
    expect(gridValues((gridded.nested as Record<string, unknown>).u)).toEqual([0, 1]);
    expect(countGridVariants(gridded)).toBe(2 * 2);
  });

  it("rejects a bad pointsPerDimension", () => {
    expect(() => toGridSpace({ a: uniform(0, 1) }, 0)).toThrow(
      new SearchSpaceError("", "toGridSpace needs an integer pointsPerDimension >= 1, got 0"),
    );
  });
});
