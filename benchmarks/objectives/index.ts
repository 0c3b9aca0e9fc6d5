import { OptionError } from "../../core/contracts/index.ts";
import { branin, hartmann3, hartmann6, rosenbrock } from "./functions/index.ts";
import { learningCurveObjective } from "./learning-curve.ts";
import type { Benchmark } from "./learning-curve.ts";
import { noisyLrScheduleObjective } from "./noisy-lr-schedule.ts";
import { pbtToyObjective } from "./pbt-toy.ts";
import { rlReturnObjective } from "./rl-return.ts";

export * from "./functions/index.ts";
export { learningCurveObjective } from "./learning-curve.ts";
export type { Benchmark, LearningCurveOptions, LearningCurveState } from "./learning-curve.ts";
export * from "./pbt-toy.ts";
export * from "./noisy-lr-schedule.ts";
export * from "./rl-return.ts";

/** Settings every benchmark understands. */
export interface BenchmarkOptions {
  /** Iteration at which a trial reports `done` (the CLI's --max-iterations). @defaultValue 100 */
  maxIterations?: number;
}

const factories = {
  branin: (o: BenchmarkOptions) => learningCurveObjective(branin, o),
  hartmann3: (o: BenchmarkOptions) => learningCurveObjective(hartmann3, o),
  hartmann6: (o: BenchmarkOptions) => learningCurveObjective(hartmann6, o),
  rosenbrock4: (o: BenchmarkOptions) => learningCurveObjective(rosenbrock(4), o),
  // Stateful RL-like objectives for population-based training; they end on the loop's max iterations (or their target).
  "pbt-toy": (_o: BenchmarkOptions) => pbtToyObjective() as Benchmark,
  "noisy-lr-schedule": (_o: BenchmarkOptions) => noisyLrScheduleObjective() as Benchmark,
  "rl-return": (_o: BenchmarkOptions) => rlReturnObjective() as Benchmark,
} satisfies Record<string, (options: BenchmarkOptions) => Benchmark>;

/**
 * A benchmark's natural budget: the settings under which its point shows without
 * extra flags. `tunelab sim`, `compare` and the suites use them unless told otherwise.
 */
export interface BenchmarkDefaults {
  /** Iterations a trial trains at most (the CLI's --max-iterations). */
  readonly maxIterations: number;
  /** ASHA's first rung, in iterations. */
  readonly gracePeriod: number;
  /** PBT/PB2: seconds of training (time_total_s) between perturbations. */
  readonly perturbationInterval: number;
}

const SYNTHETIC_DEFAULTS: BenchmarkDefaults = { maxIterations: 100, gracePeriod: 1, perturbationInterval: 60 };

const defaults: Record<keyof typeof factories, BenchmarkDefaults> = {
  branin: SYNTHETIC_DEFAULTS,
  hartmann3: SYNTHETIC_DEFAULTS,
  hartmann6: SYNTHETIC_DEFAULTS,
  rosenbrock4: SYNTHETIC_DEFAULTS,
  // 200 steps of 1 s, a perturbation every 4 steps: Jaderberg et al.'s toy, where PBT passes 1.1 and grid search stays at 0.39.
  "pbt-toy": { maxIterations: 200, gracePeriod: 10, perturbationInterval: 4 },
  // 1 s steps: accuracy reaches the target 200 only after ~1000 steps with a changing lr, so 100 steps never show PBT's point.
  "noisy-lr-schedule": { maxIterations: 1000, gracePeriod: 10, perturbationInterval: 20 },
  // Iterations of 4.5-34 s (larger batches cost more); returns climb for ~400 of them (the settings of the old compare-pbt).
  "rl-return": { maxIterations: 400, gracePeriod: 5, perturbationInterval: 120 },
};

/** The natural budget of a registered benchmark (see BenchmarkDefaults). */
export function benchmarkDefaults(name: string): BenchmarkDefaults {
  if (!Object.hasOwn(defaults, name)) {
    throw new OptionError("benchmark", `unknown name "${name}"; known: ${benchmarkNames.join(", ")}`);
  }
  return defaults[name as keyof typeof factories];
}

/** Every name `benchmarkByName` knows, in registry order. */
export const benchmarkNames: readonly string[] = Object.freeze(Object.keys(factories));

/** A fresh benchmark (objective, space, optimum, metric, mode) by its registry name. */
export function benchmarkByName(name: string, options: BenchmarkOptions = {}): Benchmark {
  if (!Object.hasOwn(factories, name)) {
    throw new OptionError("benchmark", `unknown name "${name}"; known: ${benchmarkNames.join(", ")}`);
  }
  return factories[name as keyof typeof factories](options);
}
