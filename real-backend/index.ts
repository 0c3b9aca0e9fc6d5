export { InProcessExecutor, type InProcessExecutorOptions } from "./in-process-executor.ts";
export { defaultExperimentDir, tune, tuneFrom, type TuneOptions, type TuneRun } from "./tune.ts";
export type { Trainable, TrainableOutcome, TrainableStepContext } from "./trainable.ts";
export * from "./process/index.ts";
export * from "./trainable-forms/index.ts";
export * from "./redis/index.ts";
