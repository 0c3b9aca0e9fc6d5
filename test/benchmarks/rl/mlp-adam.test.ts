import { describe, expect, it } from "vitest";
import { adamStep, initAdam, initMlp, mlpBackward, mlpForward, parameterCount, type MlpShape } from "../../../benchmarks/rl/index.ts";
import { rngFor } from "../../../core/rng.ts";

describe("the hand-written MLP", () => {
  const shape: MlpShape = { inputs: 4, hidden: 5, outputs: 2 };

  it("backward matches central finite differences of a weighted sum of outputs", () => {
    const rng = rngFor(1, "mlp");
    const params = initMlp(shape, rng);
    for (let i = 0; i < params.length; i++) params[i] = (params[i] as number) + 0.1 * rng.normal(); // non-zero biases too
    const input = [0.3, -0.2, 0.05, 1.1];
    const weights = [0.7, -1.3];
    const loss = (p: number[]): number => {
      const h = new Float64Array(shape.hidden);
      const out = new Float64Array(shape.outputs);
      mlpForward(shape, p, input, h, out);
      return weights[0]! * out[0]! + weights[1]! * out[1]!;
    };
    const h = new Float64Array(shape.hidden);
    const out = new Float64Array(shape.outputs);
    mlpForward(shape, params, input, h, out);
    const grad = new Float64Array(params.length);
    mlpBackward(shape, params, input, h, weights, grad);
    expect(params.length).toBe(parameterCount(shape));
    for (let i = 0; i < params.length; i++) {
      const up = [...params];
      const down = [...params];
      up[i] = up[i]! + 1e-6;
      down[i] = down[i]! - 1e-6;
      expect(grad[i]).toBeCloseTo((loss(up) - loss(down)) / 2e-6, 6);
    }
  });
});

describe("Adam", () => {
  it("its first step moves every parameter by lr against the gradient's sign (bias-corrected m/sqrt(v) = sign(g))", () => {
    const params = [1, 2, 3];
    const state = adamStep(params, [0.5, -2, 1e-3], initAdam(3), 0.1);
    expect(params[0]).toBeCloseTo(0.9, 6);
    expect(params[1]).toBeCloseTo(2.1, 6);
    expect(params[2]).toBeCloseTo(2.9, 4); // epsilon matters a little for a tiny gradient
    expect(state.t).toBe(1);
    expect(state.m[0]).toBeCloseTo(0.05, 12); // (1 - 0.9) * 0.5
    expect(state.v[1]).toBeCloseTo(0.004, 12); // (1 - 0.999) * 4
  });

  it("minimises a quadratic", () => {
    const params = [5, -3];
    let state = initAdam(2);
    for (let i = 0; i < 2000; i++) state = adamStep(params, [2 * (params[0]! - 1), 2 * (params[1]! + 2)], state, 0.05);
    expect(params[0]).toBeCloseTo(1, 2);
    expect(params[1]).toBeCloseTo(-2, 2);
  });
});
