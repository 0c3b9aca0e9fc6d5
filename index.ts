/** TuneLab's public API. */
export * from "./core/space/index.ts";
export * from "./core/index.ts";
export * from "./algorithms/searchers/index.ts";
export * from "./algorithms/schedulers/index.ts";
export * from "./simulator/index.ts";
export * from "./real-backend/index.ts";
export {
  benchmarkByName,
  benchmarkNames,
  learningCurveObjective,
  branin,
  hartmann3,
  hartmann6,
  rosenbrock,
  type Benchmark,
  type SyntheticFunction,
} from "./benchmarks/objectives/index.ts";
export { loadLcbench, lcbenchObjective, locateLcbenchData, downloadLcbenchData, LCBENCH_FILES, type LcbenchSuite, type LcbenchBenchmark, type LocateLcbenchOptions } from "./benchmarks/lcbench/index.ts";
export { formulaObjective, type FormulaOptions } from "./benchmarks/objectives/formula.ts";
export { countingOnesObjective, type CountingOnesOptions, type CountingOnesState } from "./benchmarks/objectives/counting-ones.ts";
export { runPaperChecks, PAPER_CHECKS, type PaperCheck, type PaperCheckOutcome } from "./benchmarks/papers/index.ts";
