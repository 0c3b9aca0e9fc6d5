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

/** Every name `benchmarkByName` knows, in registry order. */
export const benchmarkNames: readonly string[] = Object.freeze(Object.keys(factories));

/** A fresh benchmark (objective, space, optimum, metric, mode) by its registry name. */
export function benchmarkByName(name: string, options: BenchmarkOptions = {}): Benchmark {
  if (!Object.hasOwn(factories, name)) {
    throw new OptionError("benchmark", `unknown name "${name}"; known: ${benchmarkNames.join(", ")}`);
  }
  return factories[name as keyof typeof factories](options);
}
