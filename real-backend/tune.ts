import { availableParallelism } from "node:os";
import { defaultAlgorithms } from "../algorithms/experiment-defaults.ts";
import type { Resources } from "../core/contracts/index.ts";
import { runExperiment, type ExperimentOptions, type ExperimentRun } from "../core/experiment/index.ts";
import { InProcessExecutor } from "./in-process-executor.ts";
import type { Trainable } from "./trainable.ts";

export interface TuneOptions extends ExperimentOptions {
  trainable: Trainable;
  /** What this process offers. @defaultValue all CPUs, no GPU */
  capacity?: Resources;
  /** Save checkpoints as directories under this path (`<path>/<trial>/checkpoint_<iteration>`); else in memory. */
  storagePath?: string;
  /** Fail a trial whose step takes longer than this (its late outcome is dropped). Left out: no limit. */
  stepTimeoutSeconds?: number;
}

/** The same run shape as `simulate()`'s; on this backend the simulator-only summary fields are 0. */
export type TuneRun = ExperimentRun;

/** Runs an experiment for real, on the machine's clock. */
export async function tune(options: TuneOptions): Promise<TuneRun> {
  return runExperiment({
    options,
    subject: options.trainable,
    subjectKind: "trainable",
    defaults: defaultAlgorithms,
    executor: ({ seed }) =>
      new InProcessExecutor({
        trainable: options.trainable,
        seed,
        capacity: options.capacity ?? { cpu: availableParallelism(), gpu: 0 },
        ...(options.storagePath !== undefined ? { storagePath: options.storagePath } : {}),
        ...(options.stepTimeoutSeconds !== undefined ? { stepTimeoutSeconds: options.stepTimeoutSeconds } : {}),
      }),
  });
}
