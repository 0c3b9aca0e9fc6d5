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
  benchmarkDefaults,
  type Benchmark,
  type BenchmarkDefaults,
  type SyntheticFunction,
} from "./benchmarks/objectives/index.ts";
export {
  registerBenchmark,
  registerBenchmarkFamily,
  registerSuite,
  loadBenchmark,
  registeredBenchmarks,
  isBenchmarkRegistered,
  suiteByName,
  suiteNames,
  suiteReport,
  budgetFor,
  validateSuite,
  syntheticSuite,
  rlSuite,
  lcbenchSuite,
  schedulersSuite,
  papersSuite,
  isPaperCheckSuite,
  isFinishedCell,
  LCBENCH_TASKS,
  STANDARD_METHODS,
  type BenchmarkEntry,
  type SuiteBenchmark,
  type SuiteDefinition,
  type PaperCheckSuite,
  type Suite,
  type SuiteReport,
  type CellRecord,
  type FinishedCell,
  type PaperCheckCell,
  type CurvePoint,
} from "./benchmarks/suites/index.ts";
export { wilcoxonSignedRank, holmAdjust, mannWhitneyU, medianInterval, median, quantile, averageRanks, meanRanks, type WilcoxonResult } from "./benchmarks/stats/index.ts";
export { runGrid, gridCells, type GridOptions, type GridRun } from "./cli/bench/run-grid.ts";
export { comparisonReport, writeComparisonReport, bestSoFarBands, methodSummaries, type MethodDirs, type MethodRuns, type MethodSummary, type BandPoint } from "./cli/compare-report/index.ts";
export * from "./results/index.ts";
export { loadLcbench, lcbenchObjective, locateLcbenchData, downloadLcbenchData, LCBENCH_FILES, type LcbenchSuite, type LcbenchBenchmark, type LocateLcbenchOptions } from "./benchmarks/lcbench/index.ts";
export { formulaObjective, type FormulaOptions } from "./benchmarks/objectives/formula.ts";
export { countingOnesObjective, type CountingOnesOptions, type CountingOnesState } from "./benchmarks/objectives/counting-ones.ts";
export {
  cartPoleObjective,
  cartPoleSpace,
  cartPoleStep,
  cartPoleReset,
  CARTPOLE,
  CARTPOLE_SOLVED_RETURN,
  type CartPoleOptions,
  type CartPoleState,
  type ReinforceState,
} from "./benchmarks/rl/index.ts";
export { runPaperChecks, PAPER_CHECKS, type PaperCheck, type PaperCheckOutcome } from "./benchmarks/papers/index.ts";
