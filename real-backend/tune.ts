import { availableParallelism, homedir } from "node:os";
import { basename, join } from "node:path";
import { defaultAlgorithms } from "../algorithms/experiment-defaults.ts";
import type { Resources } from "../core/contracts/index.ts";
import { runExperiment, type ExperimentOptions, type ExperimentRun } from "../core/experiment/index.ts";
import { InProcessExecutor } from "./in-process-executor.ts";
import { detectCapacity } from "./process/capacity.ts";
import { ProcessExecutor, type TrainableSource } from "./process/process-executor.ts";
import type { Trainable } from "./trainable.ts";

export interface TuneOptions extends ExperimentOptions {
  /**
   * What to train. An object (`init`/`step`) runs in this process (tests, quick
   * scripts). A `{ module }` (object, class or function export) or a `{ command }`
   * (any executable speaking the trial protocol, e.g. Python) runs each trial in a
   * worker process of its own: the driver never runs its code.
   */
  trainable: Trainable | TrainableSource;
  /** Names the experiment directory. @defaultValue "tune_<timestamp>" */
  name?: string;
  /**
   * Where checkpoints (and, for worker processes, each trial's stdout.log and stderr.log)
   * go: `<storagePath>/<trial>/`. In process without it, checkpoints stay in memory.
   * @defaultValue worker processes: ~/tunelab_results/<name>
   */
  storagePath?: string;
  /** What this machine offers. @defaultValue in process: all CPUs, no GPU; worker processes: all CPUs and the GPUs nvidia-smi lists */
  capacity?: Resources;
  /** Fail a trial whose step takes longer than this (a worker is killed; in process its late outcome is dropped). Left out: no limit. */
  stepTimeoutSeconds?: number;
  /** Worker processes: a process whose trial ended takes the next trial of the same resources. @defaultValue true when the trainable supports it */
  reuseActors?: boolean;
  /** Worker processes: each Node worker's V8 heap limit in MB (commands get TUNELAB_MAX_MEMORY_MB). */
  maxMemoryMB?: number;
}

/** The same run shape as `simulate()`'s; on a real backend the simulator-only summary fields are 0. */
export type TuneRun = ExperimentRun;

/** Runs an experiment for real, on the machine's clock. */
export async function tune(given: TuneOptions): Promise<TuneRun> {
  const source = trainableSource(given.trainable);
  // Worker processes always have a directory: their logs and checkpoints live on disk.
  const storagePath = given.storagePath ?? (source ? defaultExperimentDir(given.name) : undefined);
  const options: TuneOptions = storagePath === undefined ? given : { ...given, storagePath };
  return runExperiment({
    options,
    subject: source ? { name: sourceName(source) } : (options.trainable as Trainable),
    subjectKind: "trainable",
    logging: { kind: "real", progress: "auto" },
    defaults: defaultAlgorithms,
    executor: ({ seed }) =>
      source
        ? new ProcessExecutor({
            trainable: source,
            seed,
            experimentDir: storagePath as string,
            ...(options.capacity ? { capacity: options.capacity } : {}),
            ...(options.reuseActors !== undefined ? { reuseActors: options.reuseActors } : {}),
            ...(options.stepTimeoutSeconds !== undefined ? { stepTimeoutSeconds: options.stepTimeoutSeconds } : {}),
            ...(options.maxMemoryMB !== undefined ? { maxMemoryMB: options.maxMemoryMB } : {}),
          })
        : new InProcessExecutor({
            trainable: options.trainable as Trainable,
            seed,
            capacity: options.capacity ?? { cpu: availableParallelism(), gpu: 0 },
            ...(options.storagePath !== undefined ? { storagePath: options.storagePath } : {}),
            ...(options.stepTimeoutSeconds !== undefined ? { stepTimeoutSeconds: options.stepTimeoutSeconds } : {}),
          }),
  });
}

/** Where tune() keeps an experiment without a storagePath that needs one (worker processes); `tunelab run --report` reads it back. */
export function defaultExperimentDir(name: string | undefined): string {
  return join(homedir(), "tunelab_results", name ?? `tune_${new Date().toISOString().replace(/[:.]/g, "-")}`);
}

function trainableSource(trainable: Trainable | TrainableSource): TrainableSource | undefined {
  return "module" in trainable || "command" in trainable ? trainable : undefined;
}

function sourceName(source: TrainableSource): string {
  return "module" in source ? basename(source.module) : source.command.join(" ");
}

export { detectCapacity };
