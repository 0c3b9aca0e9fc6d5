export { InProcessExecutor, type InProcessExecutorOptions } from "./in-process-executor.ts";
export { tune, type TuneOptions, type TuneRun } from "./tune.ts";
export type { Trainable, TrainableOutcome, TrainableStepContext } from "./trainable.ts";
