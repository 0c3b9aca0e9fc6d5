import { describe, expect, it } from "vitest";
import { OptionError } from "../../../core/errors/index.ts";
import {
  choice,
  FloatDomain,
  grid,
  IntDomain,
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
    // Built without the builder (which would throw at once), as deserialised code might.
    const error = errorOf({ optimizer: { lr: new FloatDomain("loguniform", 0, 1, true, 10, null) } });
    expect(error.path).toBe("optimizer.lr");
    expect(error.field).toBe("optimizer.lr");
    expect(error.name).toBe("SearchSpaceError");
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe("optimizer.lr: loguniform needs 0 < low < high, got low=0");
  });

  it.each([
    [() => uniform(5, 1), "uniform", "needs low < high, got low=5 high=1"],
    [() => uniform(Number.NaN, 1), "uniform", "needs finite low and high, got low=NaN high=1"],
    [() => uniform(0, Infinity), "uniform", "needs finite low and high, got low=0 high=Infinity"],
    [() => loguniform(1, 0.5), "loguniform", "needs 0 < low < high, got low=1 high=0.5"],
    [() => loguniform(-1, 2), "loguniform", "needs 0 < low < high, got low=-1"],
    [() => loguniform(1, 2, 1), "loguniform", "needs a finite base > 0 and != 1, got base=1"],
    [() => quniform(0, 1, 0), "quniform", "needs a finite q > 0, got q=0"],
    [() => quniform(0.1, 0.2, 0.3), "quniform", "has no multiple of q=0.3 in [0.1, 0.2]"],
    [() => qloguniform(1, 2, -1), "qloguniform", "needs a finite q > 0, got q=-1"],
    [() => qloguniform(1, 2, 5), "qloguniform", "has no multiple of q=5 in [1, 2]"],
    [() => randint(3, 3), "randint", "needs low < high, got low=3 high=3"],
    [() => randint(0.5, 3), "randint", "needs integer low and high, got low=0.5 high=3"],
    [() => qrandint(0, 10, 0.5), "qrandint", "needs an integer q > 0, got q=0.5"],
    [() => qrandint(1, 4, 5), "qrandint", "has no multiple of q=5 in [1, 4]"],
    [() => lograndint(0, 10), "lograndint", "needs 0 < low < high, got low=0"],
    [() => qlograndint(1, 10, 0), "qlograndint", "needs an integer q > 0, got q=0"],
    [() => randn(0, 0), "randn", "needs a finite sd > 0, got sd=0"],
    [() => randn(Number.NaN), "randn", "needs a finite mean, got mean=NaN"],
    [() => qrandn(0, 1, 0), "qrandn", "needs a finite q > 0, got q=0"],
    [() => choice([]), "choice", "needs a non-empty array of options"],
    [() => grid([]), "grid", "needs a non-empty array of values"],
    [() => sampleFrom("nope" as never), "sampleFrom", "needs a function"],
  ])("a builder checks its parameters where it is called: %#", (build, name, problem) => {
    let error: unknown;
    try {
      build();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SearchSpaceError);
    expect(error).toBeInstanceOf(OptionError);
    expect((error as SearchSpaceError).field).toBe(name);
    expect((error as SearchSpaceError).message).toBe(`${name}: ${problem}`);
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
    const space = { model: choice([{ kind: "linear" }, { kind: "tree", depth: new IntDomain("randint", 5, 2, false, null, 1, false) }]) };
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

  it("builders throw where called, naming themselves", () => {
    expect(() => choice(null as never)).toThrow("choice: needs a non-empty array of options");
    expect(() => grid(3 as never)).toThrow("grid: needs a non-empty array of values");
    expect(() => randint(0.5, Number.NaN)).toThrow("randint: needs integer low and high, got low=0.5 high=NaN");
  });
});
