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
export * from "./results/index.ts";
