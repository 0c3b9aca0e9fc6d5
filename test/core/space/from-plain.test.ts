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
  sampleConfig,
  uniform,
  type Space,
} from "../../../core/space/index.ts";
import { OptionError } from "../../../core/errors/index.ts";
import { OptionProblemsError, spaceFromPlain, spaceToPlain } from "../../../core/space/from-plain.ts";
import { seededUniform } from "./_random.ts";

function problemsOf(plain: unknown, path?: string): string[] {
  try {
    spaceFromPlain(plain, path);
  } catch (error) {
    if (error instanceof OptionProblemsError) return error.message.split("\n");
    throw error;
  }
  throw new Error("expected spaceFromPlain to throw");
}

describe("spaceFromPlain builds the same space as the TypeScript DSL", () => {
  it("maps every numeric builder with its argument order and defaults", () => {
    const space = spaceFromPlain({
      u: { uniform: [-1, 2] },
      qu: { quniform: [0, 1, 0.25] },
      lu: { loguniform: [1e-4, 1e-1] },
      lu2: { loguniform: [1, 1024, 2] },
      qlu: { qloguniform: [1, 100, 5] },
      ri: { randint: [2, 8] },
      qri: { qrandint: [0, 100, 10] },
      qri1: { qrandint: [0, 10] },
      lri: { lograndint: [1, 1000] },
      qlri: { qlograndint: [1, 1000, 10, 2] },
      rn: { randn: [] },
      rn2: { randn: [5, 2] },
      qrn: { qrandn: [0, 1, 0.5] },
    });
    expect(space).toEqual({
      u: uniform(-1, 2),
      qu: quniform(0, 1, 0.25),
      lu: loguniform(1e-4, 1e-1),
      lu2: loguniform(1, 1024, 2),
      qlu: qloguniform(1, 100, 5),
      ri: randint(2, 8),
      qri: qrandint(0, 100, 10),
      qri1: qrandint(0, 10),
      lri: lograndint(1, 1000),
      qlri: qlograndint(1, 1000, 10, 2),
      rn: randn(),
      rn2: randn(5, 2),
      qrn: qrandn(0, 1, 0.5),
    });
  });

  it("builds choices, grid_search, nested dicts, constants and conditional choices (README's optimizer)", () => {
    const plain = {
      act: { choice: ["relu", "tanh"] },
      batch: { grid_search: [32, 64] },
      model: { depth: { randint: [2, 8] }, name: "mlp", widths: [64, 32], dropout: null, bias: true },
      optimizer: {
        choice: [
          { kind: "sgd", lr: { loguniform: [1e-4, 1e-1] }, momentum: { choice: [0, 0.9] } },
          { kind: "adam", lr: { loguniform: [1e-5, 1e-2] } },
        ],
      },
    };
    const expected: Space = {
      act: choice(["relu", "tanh"]),
      batch: grid([32, 64]),
      model: { depth: randint(2, 8), name: "mlp", widths: [64, 32], dropout: null, bias: true },
      optimizer: choice([
        { kind: "sgd", lr: loguniform(1e-4, 1e-1), momentum: choice([0, 0.9]) },
        { kind: "adam", lr: loguniform(1e-5, 1e-2) },
      ]),
    };
    const space = spaceFromPlain(plain);
    expect(space).toEqual(expected);
    // Same space, same samples: the conditional option is sampled as a sub-space.
    const a = sampleConfig(space, seededUniform(7), { batch: 64 });
    expect(a).toEqual(sampleConfig(expected, seededUniform(7), { batch: 64 }));
    const optimizer = a["optimizer"] as Record<string, unknown>;
    expect(Object.keys(optimizer).sort()).toEqual(optimizer["kind"] === "sgd" ? ["kind", "lr", "momentum"] : ["kind", "lr"]);
  });

  it("renders back to the file form it was read from (defaults left out)", () => {
    const plain = {
      lu: { loguniform: [0.0001, 0.1] },
      lu2: { loguniform: [1, 1024, 2] },
      qri1: { qrandint: [0, 10] },
      qri: { qrandint: [0, 100, 10] },
      rn: { randn: [0, 1] },
      g: { grid_search: [1, "a"] },
      opt: { choice: [{ kind: "sgd", lr: { uniform: [0, 1] } }, "adam"] },
      nested: { a: { randint: [1, 3] }, c: [1, 2] },
    };
    expect(spaceToPlain(spaceFromPlain(plain))).toEqual(plain);
  });
});

describe("spaceFromPlain reports every bad field, one line each, by path", () => {
  it.each<[string, unknown, string]>([
    ["loguniform low of 0", { lr: { loguniform: [0, 1] } }, "space.lr.loguniform[0]: must be > 0, got 0"],
    ["randint low >= high", { layers: { randint: [8, 2] } }, "space.layers.randint[1]: must be > low (8), got 2"],
    ["randint low == high", { layers: { randint: [3, 3] } }, "space.layers.randint[1]: must be > low (3), got 3"],
    ["an empty choice", { act: { choice: [] } }, "space.act.choice: must be a non-empty list of options, got []"],
    ["a choice that is not a list", { act: { choice: "relu" } }, 'space.act.choice: must be a non-empty list of options, got "relu"'],
    ["an empty grid_search", { b: { grid_search: [] } }, "space.b.grid_search: must be a non-empty list of values, got []"],
    ["too few arguments", { x: { uniform: [1] } }, "space.x.uniform: needs a list [low, high], got 1 value"],
    ["too many arguments", { x: { loguniform: [1, 2, 3, 4] } }, "space.x.loguniform: needs a list [low, high] or [low, high, base], got 4 values"],
    ["arguments not in a list", { x: { randint: { low: 1, high: 2 } } }, 'space.x.randint: needs a list [low, high], got {"low":1,"high":2}'],
    ["a string bound", { x: { uniform: [0, "1"] } }, 'space.x.uniform[1]: high must be a finite number, got "1"'],
    ["a fractional randint bound", { x: { randint: [0.5, 4] } }, "space.x.randint[0]: low must be an integer, got 0.5"],
    ["a q of 0", { x: { quniform: [0, 1, 0] } }, "space.x.quniform[2]: must be > 0, got 0"],
    ["a log base of 1", { x: { loguniform: [1, 10, 1] } }, "space.x.loguniform[2]: must be > 0 and != 1, got 1"],
    ["a zero sd", { x: { randn: [0, 0] } }, "space.x.randn[1]: must be > 0, got 0"],
    ["a misspelt domain", { x: { logunifrom: [1, 2] } }, 'space.x.logunifrom: unknown domain "logunifrom"; did you mean loguniform?'],
    ["the TypeScript name grid", { x: { grid: [1, 2] } }, 'space.x.grid: unknown domain "grid"; did you mean grid_search?'],
    ["sample_from", { x: { sample_from: "f" } }, "space.x.sample_from: sample_from needs a function and cannot be written in a file"],
    ["a domain key with company", { x: { choice: [1], extra: 2 } }, "space.x: a domain is an object with one key (choice), got also extra"],
    ["an infinite constant", { x: Number.POSITIVE_INFINITY }, "space.x: must be a finite number, got Infinity"],
    ["grid_search inside a conditional option", { o: { choice: [{ k: { uniform: [0, 1] }, g: { grid_search: [1, 2] } }] } }, "space.o.choice[0].g: grid is not allowed inside a conditional choice option"],
    ["a bad key", { "a.b": 1 }, 'space.a.b: invalid key "a.b"'],
    ["not a mapping", [1, 2], "space: must be a mapping of parameter names to domains or constants, got [1,2]"],
  ])("%s", (_case, plain, line) => {
    const lines = problemsOf(plain);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(line);
  });

  it("lists all bad fields, nested ones and conditional options included, under the caller's path", () => {
    const lines = problemsOf(
      {
        lr: { loguniform: [0, 1] },
        layers: { randint: [8, 2] },
        act: { choice: [] },
        optimizer: { choice: [{ kind: "sgd", lr: { loguniform: [1e-4, -1] } }] },
      },
      "experiment.space",
    );
    expect(lines).toEqual([
      "experiment.space.lr.loguniform[0]: must be > 0, got 0",
      "experiment.space.layers.randint[1]: must be > low (8), got 2",
      "experiment.space.act.choice: must be a non-empty list of options, got []",
      "experiment.space.optimizer.choice[0].lr.loguniform[1]: must be > low (0.0001), got -1",
    ]);
  });

  it("throws an OptionError (exit 2) carrying the problems", () => {
    try {
      spaceFromPlain({ a: { uniform: [1, 0] }, b: { randint: [1, 1] } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OptionError);
      expect((error as OptionError).exitCode).toBe(2);
      expect((error as OptionProblemsError).problems.map((p) => p.path)).toEqual(["space.a.uniform[1]", "space.b.randint[1]"]);
    }
  });
});
