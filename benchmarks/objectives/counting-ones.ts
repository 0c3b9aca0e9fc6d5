import { OptionError } from "../../core/contracts/index.ts";
import type { Config, Objective, RandomStream, StepContext, StepOutcome } from "../../core/contracts/index.ts";
import { choice, uniform, type Space } from "../../core/space/index.ts";
import type { Benchmark } from "./learning-curve.ts";

/** Samples drawn so far and, per continuous dimension, how many came up 1. */
export interface CountingOnesState {
  readonly t: number;
  readonly ones: readonly number[];
}

export interface CountingOnesOptions {
  /** Categorical {0, 1} dimensions. @defaultValue 8 */
  categorical?: number;
  /** Continuous [0, 1] dimensions. @defaultValue 8 */
  continuous?: number;
  /** Simulated seconds per sample. @defaultValue 1 */
  secondsPerSample?: number;
}

/**
 * Counting ones (Falkner et al. 2018, BOHB, Section 5.1): maximise the number
 * of ones, with `categorical` binary dimensions counted exactly and
 * `continuous` dimensions x_j in [0, 1] counted through Bernoulli(x_j) samples.
 * The budget is the number of samples: iteration t reports
 *
 *   loss_t = -(sum_i c_i + sum_j (ones drawn in dimension j) / t),
 *
 * so a low budget is a noisy estimate of the noiseless
 * f = -(sum_i c_i + sum_j x_j) (reported as metric `f`), whose optimum is
 * -(categorical + continuous) at all ones.
 */
export function countingOnesObjective(options: CountingOnesOptions = {}): Benchmark<CountingOnesState> {
  const nCat = options.categorical ?? 8;
  const nCont = options.continuous ?? 8;
  const seconds = options.secondsPerSample ?? 1;
  for (const [field, value] of [["categorical", nCat], ["continuous", nCont]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new OptionError(`countingOnes.${field}`, `must be an integer >= 0, got ${value}`);
  }
  if (nCat + nCont === 0) throw new OptionError("countingOnes.continuous", "categorical + continuous must be >= 1");
  if (!(seconds > 0 && Number.isFinite(seconds))) throw new OptionError("countingOnes.secondsPerSample", `must be a positive number, got ${seconds}`);
  const catKeys = Array.from({ length: nCat }, (_, i) => `c${i}`);
  const contKeys = Array.from({ length: nCont }, (_, i) => `x${i}`);

  function values(config: Config): { cat: number; cont: number[] } {
    let cat = 0;
    for (const key of catKeys) {
      const v = config[key];
      if (v !== 0 && v !== 1) throw new OptionError(`config.${key}`, `must be 0 or 1, got ${String(v)}`);
      cat += v;
    }
    const cont = contKeys.map((key) => {
      const v = config[key];
      if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw new OptionError(`config.${key}`, `must be a number in [0, 1], got ${String(v)}`);
      return v;
    });
    return { cat, cont };
  }

  const objective: Objective<CountingOnesState> = {
    name: "counting-ones",
    metrics: ["loss", "f"],
    init(config: Config, _rng: RandomStream): CountingOnesState {
      values(config);
      return { t: 0, ones: contKeys.map(() => 0) };
    },
    step(state: CountingOnesState, config: Config, context: StepContext): StepOutcome<CountingOnesState> {
      const { cat, cont } = values(config);
      const t = state.t + 1;
      const ones = state.ones.map((n, j) => n + (context.rng.next() < (cont[j] as number) ? 1 : 0));
      const estimate = ones.reduce((s, n) => s + n / t, 0);
      const exact = cont.reduce((s, x) => s + x, 0);
      return { metrics: { loss: -(cat + estimate), f: -(cat + exact) }, seconds, state: { t, ones } };
    },
  };
  const space: Space = Object.fromEntries([...catKeys.map((k) => [k, choice([0, 1])]), ...contKeys.map((k) => [k, uniform(0, 1)])]);
  return { name: "counting-ones", objective, space, optimum: -(nCat + nCont), metric: "loss", mode: "min" };
}
