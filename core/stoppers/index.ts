export type { Stopper } from "./stopper.ts";
export { MaximumIterationStopper } from "./maximum-iteration.ts";
export { MetricThresholdStopper } from "./metric-threshold.ts";
export { TimeoutStopper } from "./timeout.ts";
export { TrialPlateauStopper, type TrialPlateauOptions } from "./trial-plateau.ts";
export { ExperimentPlateauStopper, type ExperimentPlateauOptions } from "./experiment-plateau.ts";
export { ComputeBudgetStopper, validateComputeBudget, type ComputeBudget } from "./compute-budget.ts";
