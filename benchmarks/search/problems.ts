import { choice, loguniform, qrandint, randint, uniform, type Space } from "../../core/space/index.ts";
import { branin, hartmann3, hartmann6, rosenbrock, type SyntheticFunction } from "../objectives/index.ts";

/**
 * The five problems of the searcher comparisons (issue 4), as plain functions (no
 * simulator, no fidelity): the synthetic functions on their bounds and a mixed space.
 * benchmarks/peers/optuna_search.py defines the same problems for Optuna.
 */
export interface Problem {
  readonly name: string;
  readonly space: Space;
  readonly optimum: number;
  evaluate(config: Record<string, unknown>): number;
}

function fromSynthetic(f: SyntheticFunction, name = f.name): Problem {
  const space: Record<string, unknown> = {};
  f.bounds.forEach(([low, high], i) => (space[`x${i}`] = uniform(low, high)));
  const x = new Float64Array(f.dimension);
  return {
    name,
    space,
    optimum: f.optimum,
    evaluate(config) {
      for (let i = 0; i < f.dimension; i++) x[i] = config[`x${i}`] as number;
      return f.evaluate(x);
    },
  };
}

const ACTIVATION_PENALTY: Record<string, number> = { relu: 0, tanh: 0.5, gelu: 0.2 };

/**
 * Mixed space: a log-scale float, two integers (one stepped), a categorical and a choice
 * with one conditional branch (sgd has a momentum, adam has none). Minimum 0.1 at
 * lr = 1e-3, layers = 3, width = 128, relu, adam.
 */
export const mixed: Problem = {
  name: "mixed",
  space: {
    lr: loguniform(1e-5, 1e-1),
    layers: randint(1, 6),
    width: qrandint(16, 256, 16),
    activation: choice(["relu", "tanh", "gelu"]),
    optimizer: choice([{ name: "sgd", momentum: uniform(0, 0.99) }, { name: "adam" }]),
  },
  optimum: 0.1,
  evaluate(config) {
    const lr = config.lr as number;
    const layers = config.layers as number;
    const width = config.width as number;
    const optimizer = config.optimizer as { name: string; momentum?: number };
    const optimizerTerm = optimizer.name === "sgd" ? 2 * ((optimizer.momentum as number) - 0.9) ** 2 + 0.3 : 0.1;
    return (
      (Math.log10(lr) + 3) ** 2 +
      0.3 * (layers - 3) ** 2 +
      0.5 * ((width - 128) / 64) ** 2 +
      (ACTIVATION_PENALTY[config.activation as string] as number) +
      optimizerTerm
    );
  },
};

export const problems: readonly Problem[] = [fromSynthetic(branin), fromSynthetic(hartmann3), fromSynthetic(hartmann6), fromSynthetic(rosenbrock(4), "rosenbrock4"), mixed];

