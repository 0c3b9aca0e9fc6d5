import { describe, expect, it } from "vitest";
import {
  choice,
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
  sampleFrom,
  SearchSpaceError,
  uniform,
  validateSpace,
} from "../../../core/space/index.ts";

function errorOf(space: unknown): SearchSpaceError {
  try {
    validateSpace(space);
  } catch (error) {
    if (error instanceof SearchSpaceError) return error;
    throw error;
  }
  throw new Error("expected validateSpace to throw");
}

describe("validateSpace", () => {
  it("accepts a well-formed space", () => {
    expect(() =>
      validateSpace({
        lr: loguniform(1e-4, 1e-1),
        q: quniform(0, 1, 0.1),
        n: randint(0, 3),
        opt: choice([{ kind: "sgd", lr: uniform(0, 1), nested: { d: qrandint(1, 9, 2) } }, "adam", 3, null, [1, 2], { plain: true }]),
        g: grid([1, "a"]),
        f: sampleFrom(() => 1),
        constants: { list: [1, { a: "b" }], flag: false },
      }),
    ).not.toThrow();
  });

  it("reports the path in a field as well as in the message", () => {
    const error = errorOf({ optimizer: { lr: loguniform(0, 1) } });
    expect(error.path).toBe("optimizer.lr");
    expect(error.name).toBe("SearchSpaceError");
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe("optimizer.lr: loguniform needs 0 < low < high, got low=0");
  });

  it.each([
    [{ x: uniform(5, 1) }, "x: uniform needs low < high, got low=5 high=1"],
    [{ x: uniform(Number.NaN, 1) }, "x: uniform needs finite low and high, got low=NaN high=1"],
    [{ x: uniform(0, Infinity) }, "x: uniform needs finite low and high, got low=0 high=Infinity"],
    [{ x: loguniform(1, 0.5) }, "x: loguniform needs 0 < low < high, got low=1 high=0.5"],
    [{ x: loguniform(-1, 2) }, "x: loguniform needs 0 < low < high, got low=-1"],
    [{ x: loguniform(1, 2, 1) }, "x: loguniform needs a finite base > 0 and != 1, got base=1"],
    [{ x: quniform(0, 1, 0) }, "x: quniform needs a finite q > 0, got q=0"],
    [{ x: quniform(0.1, 0.2, 0.3) }, "x: quniform has no multiple of q=0.3 in [0.1, 0.2]"],
    [{ x: qloguniform(1, 2, -1) }, "x: qloguniform needs a finite q > 0, got q=-1"],
    [{ x: qloguniform(1, 2, 5) }, "x: qloguniform has no multiple of q=5 in [1, 2]"],
    [{ x: randint(3, 3) }, "x: randint needs low < high, got low=3 high=3"],
    [{ x: randint(0.5, 3) }, "x: randint needs integer low and high, got low=0.5 high=3"],
    [{ x: qrandint(0, 10, 0.5) }, "x: qrandint needs an integer q > 0, got q=0.5"],
    [{ x: qrandint(1, 4, 5) }, "x: qrandint has no multiple of q=5 in [1, 4]"],
    [{ x: lograndint(0, 10) }, "x: lograndint needs 0 < low < high, got low=0"],
    [{ x: qlograndint(1, 10, 0) }, "x: qlograndint needs an integer q > 0, got q=0"],
    [{ x: randn(0, 0) }, "x: randn needs a finite sd > 0, got sd=0"],
    [{ x: randn(Number.NaN) }, "x: randn needs a finite mean, got mean=NaN"],
    [{ x: qrandn(0, 1, 0) }, "x: qrandn needs a finite q > 0, got q=0"],
    [{ x: choice([]) }, "x: choice needs a non-empty array of options"],
    [{ x: grid([]) }, "x: grid needs a non-empty array of values"],
    [{ x: sampleFrom("nope" as never) }, "x: sampleFrom needs a function"],
  ])("rejects bad domain parameters: %#", (space, message) => {
    expect(errorOf(space).message).toBe(message);
  });

  it.each([
    [{ a: { f: () => 1 } }, "a.f: unsupported leaf (function): leaves are Domains or JSON-like constants"],
    [{ s: Symbol("s") }, "s: unsupported leaf (symbol): leaves are Domains or JSON-like constants"],
    [{ u: undefined }, "u: unsupported leaf (undefined): leaves are Domains or JSON-like constants"],
    [{ n: Number.NaN }, "n: unsupported leaf NaN: leaves are Domains or JSON-like constants"],
    [{ d: new Date(0) }, "d: unsupported leaf (Date): leaves are Domains or JSON-like constants"],
    [{ list: [1, Number.NaN] }, "list[1]: unsupported leaf NaN: leaves are Domains or JSON-like constants"],
    [{ list: [uniform(0, 1)] }, "list[0]: uniform is not allowed inside an array or a constant"],
    [{ "a.b": 1 }, `a.b: invalid key "a.b": keys must be non-empty, not __proto__, and contain no '.', '[' or ']'`],
    [{ m: { "": 1 } }, `m.: invalid key "": keys must be non-empty, not __proto__, and contain no '.', '[' or ']'`],
    [{ x: choice(["a", () => 1]) }, "x.choice[1]: unsupported leaf (function): leaves are Domains or JSON-like constants"],
    [{ g: grid([1, undefined]) }, "g.grid[1]: unsupported leaf (undefined): leaves are Domains or JSON-like constants"],
  ])("rejects bad leaves and keys: %#", (space, message) => {
    expect(errorOf(space).message).toBe(message);
  });

  it("names conditional options by index", () => {
    const space = { model: choice([{ kind: "linear" }, { kind: "tree", depth: randint(5, 2) }]) };
    expect(errorOf(space).message).toBe("model.choice[1].depth: randint needs low < high, got low=5 high=2");
    expect(errorOf(space).path).toBe("model.choice[1].depth");
  });

  it("rejects grids inside conditional options", () => {
    const space = { model: choice([{ kind: "tree", depth: grid([1, 2]), lr: uniform(0, 1) }]) };
    expect(errorOf(space).message).toBe("model.choice[0].depth: grid is not allowed inside a conditional choice option");
  });

  it("rejects a space that is not a plain object", () => {
    expect(errorOf([1]).message).toBe("a search space must be a plain object, got (Array)");
    expect(errorOf(null).path).toBe("");
  });

  it("builders never throw", () => {
    expect(() => [uniform(5, 1), quniform(0, 1, 0), randint(0.5, Number.NaN), qrandint(1, 2, 0), choice(null as never), grid(3 as never)]).not.toThrow();
  });
});
