import { TuneLabError } from "../../core/contracts/index.ts";
import { branin, hartmann3, hartmann6, rosenbrock } from "./functions/index.ts";
import { learningCurveObjective } from "./learning-curve.ts";
import type { Benchmark } from "./learning-curve.ts";

export * from "./functions/index.ts";
export { learningCurveObjective } from "./learning-curve.ts";
export type { Benchmark, LearningCurveOptions, LearningCurveState } from "./learning-curve.ts";

const factories = {
  branin: () => learningCurveObjective(branin),
  hartmann3: () => learningCurveObjective(hartmann3),
  hartmann6: () => learningCurveObjective(hartmann6),
  rosenbrock4: () => learningCurveObjective(rosenbrock(4)),
} satisfies Record<string, () => Benchmark>;

/** Every name `benchmarkByName` knows, in registry order. */
export const benchmarkNames: readonly string[] = Object.freeze(Object.keys(factories));

/** A fresh benchmark (objective, space, optimum, metric, mode) by its registry name. */
export function benchmarkByName(name: string): Benchmark {
  if (!Object.hasOwn(factories, name)) {
    throw new TuneLabError(`unknown benchmark "${name}"; known: ${benchmarkNames.join(", ")}`);
  }
  return factories[name as keyof typeof factories]();
}
