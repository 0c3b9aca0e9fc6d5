import { OptionError } from "../../core/contracts/index.ts";
import type { Config, Objective, RandomStream, StepContext, StepOutcome } from "../../core/contracts/index.ts";
import { uniform } from "../../core/space/index.ts";
import type { Benchmark } from "./learning-curve.ts";

/** The two weights of the toy model; plain numbers so checkpoints and exploits copy them exactly. */
export interface PbtToyState {
  readonly theta0: number;
  readonly theta1: number;
}

export interface PbtToyOptions {
  /** Gradient-ascent step size. @defaultValue 0.01 */
  stepSize?: number;
  /** Simulated seconds per step. @defaultValue 1 */
  secondsPerStep?: number;
}

/** Q(theta) = 1.2 - |theta|^2: the true objective, 1.2 at the optimum theta = 0. */
export function pbtToyQ(theta0: number, theta1: number): number {
  return 1.2 - (theta0 * theta0 + theta1 * theta1);
}

/**
 * Q after `steps` of gradient ascent with a fixed h from theta = (0.9, 0.9):
 * each step multiplies theta_i by (1 - 2 * stepSize * h_i). With h = (1, 0)
 * this is 1.2 - 0.81 - (0.9 * 0.98^t)^2, which tends to 0.39.
 */
export function pbtToyClosedForm(h0: number, h1: number, steps: number, stepSize = 0.01): number {
  const theta0 = 0.9 * (1 - 2 * stepSize * h0) ** steps;
  const theta1 = 0.9 * (1 - 2 * stepSize * h1) ** steps;
  return pbtToyQ(theta0, theta1);
}

/**
 * The toy of Jaderberg et al. 2017 (Fig. 2). theta in R^2 starts at (0.9, 0.9);
 * the true objective is Q(theta) = 1.2 - (theta0^2 + theta1^2), but each worker
 * only ascends the surrogate Q_hat(theta | h) = 1.2 - (h0 theta0^2 + h1 theta1^2)
 * with step size 0.01, so the hyperparameters h = (h0, h1) decide which
 * coordinates ever move. With h fixed at (1, 0) or (0, 1) (grid search), Q tends
 * to 0.39; PBT, copying theta from the better worker and perturbing h, reaches
 * Q near 1.2. The metric reported is the true Q (mode max), as in the paper.
 *
 * Deterministic: the rng is unused, so the test of the closed form is exact.
 */
export function pbtToyObjective(options: PbtToyOptions = {}): Benchmark<PbtToyState> {
  const stepSize = options.stepSize ?? 0.01;
  const seconds = options.secondsPerStep ?? 1;
  if (!(stepSize > 0 && Number.isFinite(stepSize))) throw new OptionError("pbtToy.stepSize", `must be a positive number, got ${stepSize}`);
  if (!(seconds >= 0 && Number.isFinite(seconds))) throw new OptionError("pbtToy.secondsPerStep", `must be a finite number >= 0, got ${seconds}`);

  const objective: Objective<PbtToyState> = {
    name: "pbt-toy",
    metrics: ["Q", "Q_hat"],
    init(_config: Config, _rng: RandomStream): PbtToyState {
      return { theta0: 0.9, theta1: 0.9 };
    },
    step(state: PbtToyState, config: Config, _context: StepContext): StepOutcome<PbtToyState> {
      const h0 = hyperparameter(config, "h0");
      const h1 = hyperparameter(config, "h1");
      // Gradient of Q_hat is -2 h_i theta_i.
      const theta0 = state.theta0 - stepSize * 2 * h0 * state.theta0;
      const theta1 = state.theta1 - stepSize * 2 * h1 * state.theta1;
      return {
        metrics: { Q: pbtToyQ(theta0, theta1), Q_hat: 1.2 - (h0 * theta0 * theta0 + h1 * theta1 * theta1) },
        seconds,
        state: { theta0, theta1 },
      };
    },
  };
  return { name: "pbt-toy", objective, space: { h0: uniform(0, 1), h1: uniform(0, 1) }, optimum: 1.2, metric: "Q", mode: "max" };
}

function hyperparameter(config: Config, key: string): number {
  const value = config[key];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new OptionError(`config.${key}`, `must be a finite number, got ${String(value)}`);
  }
  return value;
}
