export { InProcessExecutor, type InProcessExecutorOptions } from "./in-process-executor.ts";
export { tune, type TuneOptions, type TuneRun } from "./tune.ts";
export type { Trainable, TrainableStepContext } from "./trainable.ts";
