import { describe, expect, it } from "vitest";
import { formulaObjective } from "../../../benchmarks/objectives/formula.ts";
import { OptionError } from "../../../core/contracts/index.ts";
import { rngFor } from "../../../core/rng.ts";
import { choice, loguniform, randint, uniform } from "../../../core/space/index.ts";
import { simulate } from "../../../simulator/index.ts";

const space = { x: uniform(-5, 5), lr: loguniform(1e-5, 1e-1) };
const expression = "(x - 2)^2 + 10 * (log10(lr) + 3)^2";

function limitAt(bench: ReturnType<typeof formulaObjective>, config: Record<string, unknown>): number {
  const rng = rngFor(0, "formula-test");
  const state = bench.objective.init(config, rng);
  return bench.objective.step(state, config, { iteration: 1, rng, resources: { cpu: 1, gpu: 1 } }).metrics.f as number;
}

describe("formulaObjective", () => {
  it("its curve's limit f is the formula at the config", () => {
    const bench = formulaObjective(expression, space);
    expect(limitAt(bench, { x: 2, lr: 1e-3 })).toBeCloseTo(0, 6);
    expect(limitAt(bench, { x: 0, lr: 1e-2 })).toBeCloseTo(4 + 10, 6);
    expect(limitAt(bench, { x: -1, lr: 1e-5 })).toBeCloseTo(9 + 40, 6);
    expect(bench.metric).toBe("loss");
    expect(bench.mode).toBe("min");
    expect(bench.space).toBe(space);
  });

  it("estimates the optimum from above, close to the true 0, and takes a given one", () => {
    const estimated = formulaObjective(expression, space).optimum;
    expect(estimated).toBeGreaterThanOrEqual(0);
    expect(estimated).toBeLessThan(0.05);
    expect(formulaObjective(expression, space, { optimum: 0 }).optimum).toBe(0);
  });

  it("learns over iterations like the built-in functions: loss falls toward f", () => {
    const bench = formulaObjective(expression, space, { noiseFraction: 0 });
    const rng = rngFor(0, "curve");
    const config = { x: 1, lr: 1e-2 };
    let state = bench.objective.init(config, rng);
    const losses: number[] = [];
    for (let t = 1; t <= 100; t++) {
      const out = bench.objective.step(state, config, { iteration: t, rng, resources: { cpu: 1, gpu: 1 } });
      losses.push(out.metrics.loss as number);
      state = out.state;
    }
    expect(losses[0]).toBeGreaterThan(losses[99] as number);
    expect(losses[99]).toBeCloseTo(1 + 10, 0);
  });

  it("handles integer and categorical parameters and space constants", () => {
    const bench = formulaObjective('layers * scale + (equalText(act, "relu") ? 0 : 5)', { layers: randint(2, 8), act: choice(["relu", "tanh"]), scale: 3 });
    expect(limitAt(bench, { layers: 4, act: "relu" })).toBe(12);
    expect(limitAt(bench, { layers: 2, act: "tanh" })).toBe(11);
  });

  it("runs in the simulator and finds a near-optimal config", () => {
    const bench = formulaObjective(expression, space);
    const run = simulate({ objective: bench.objective, space: bench.space, metric: "f", mode: "min", trials: 40, seed: 1, maxIterations: 10 });
    expect(run.best!.metric).toBeLessThan(5);
  });

  it.each([
    ["x + y", /^formula: symbol "y" is not a parameter of the space \(parameters: x, lr\)$/],
    ["foo(x)", /^formula: unknown function "foo"/],
    ["x(2)", /^formula: "x" is a parameter, not a function/],
    ["x > 1", /^formula: "x > 1" gave the boolean (true|false) at .*, not a finite number$/],
    ["[x, lr]", /^formula: "\[x, lr\]" gave a DenseMatrix/],
    ["x +", /^formula: cannot parse "x \+"/],
    ['evaluate("1")', /^formula: function "evaluate" is not allowed/],
    ["", /^formula: must be a non-empty expression/],
  ])("rejects %j with a one-line OptionError naming it", (bad, message) => {
    expect(() => formulaObjective(bad, space)).toThrow(OptionError);
    expect(() => formulaObjective(bad, space)).toThrow(message);
  });

  it("a formula that is not a number somewhere in the space fails when built, naming a config where it fails", () => {
    // The scale and optimum passes evaluate it over Halton points of the whole space, so the error comes before any run.
    expect(() => formulaObjective("sqrt(x)", { x: uniform(-5, 5) }, { optimum: 0 })).toThrow(/^formula: "sqrt\(x\)" gave a Complex \([0-9.]+i\) at \{"x":-[0-9.]+\}, not a finite number$/);
    expect(formulaObjective("sqrt(x)", { x: uniform(0, 5) }).optimum).toBeGreaterThanOrEqual(0);
  });

  it("a config value outside a choice's options is named", () => {
    const bench = formulaObjective('equalText(act, "relu") ? 1 : 2', { act: choice(["relu", "tanh"]) });
    expect(() => limitAt(bench, { act: "gelu" })).toThrow(/^config.act: "gelu" is not one of its options$/);
  });
});
