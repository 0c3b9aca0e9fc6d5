import { existsSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { basename, join } from "node:path";
import { defaultAlgorithms } from "../algorithms/experiment-defaults.ts";
import { OptionError, type Resources } from "../core/contracts/index.ts";
import type { ExperimentOrigin } from "../core/experiment-dir/index.ts";
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
   * The experiment directory (results, trials.csv, experiment_state.json to resume from),
   * with checkpoints (and, for worker processes, each trial's stdout.log and stderr.log)
   * under `<storagePath>/<trial>/`. An in-process trainable keeps its checkpoints in memory
   * unless this is given.
   * @defaultValue ~/tunelab_results/<name> ($TUNELAB_RESULTS_DIR/<name> when set)
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

/**
 * Runs an experiment for real, on the machine's clock. It always writes the
 * experiment directory; `resume: true` carries on the experiment saved there.
 */
export async function tune(given: TuneOptions): Promise<TuneRun> {
  const trainable = given?.trainable === undefined || given.trainable === null ? undefined : trainableSource(given.trainable);
  return tuneFrom(given, { kind: "code", trainable: trainable === undefined ? "object" : "module" in trainable ? "module" : "command" });
}

/** `tune()` with how to rebuild the experiment recorded (`tunelab run` records its file, so `tunelab resume DIR` can). */
export async function tuneFrom(given: TuneOptions, origin: ExperimentOrigin): Promise<TuneRun> {
  if (typeof given !== "object" || given === null) throw new OptionError("options", "must be an object");
  if (given.trainable === undefined || given.trainable === null) throw new OptionError("trainable", "is required");
  const source = trainableSource(given.trainable);
  if (given.resume === true && given.storagePath === undefined && given.name === undefined) {
    throw new OptionError("resume", "needs the name (or storagePath) of the experiment to resume");
  }
  // The directory is always written: results, the state to resume from, and worker processes' logs and checkpoints.
  const storagePath = given.storagePath ?? defaultExperimentDir(given.name);
  const options: TuneOptions = { ...given, storagePath };
  // An in-process trainable keeps checkpoints in memory unless the user chose a directory.
  const checkpointDir = given.storagePath;
  return runExperiment({
    options,
    subject: source ? { name: sourceName(source) } : (options.trainable as Trainable),
    subjectKind: "trainable",
    logging: { kind: "real", progress: "auto" },
    defaults: defaultAlgorithms,
    origin,
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
            ...(checkpointDir !== undefined ? { storagePath: checkpointDir } : {}),
            ...(options.stepTimeoutSeconds !== undefined ? { stepTimeoutSeconds: options.stepTimeoutSeconds } : {}),
          }),
  });
}

/** `~/tunelab_results/<name>`; without a name, a fresh `tune_<timestamp>` (suffixed when two runs start in the same millisecond). */
export function defaultExperimentDir(name: string | undefined): string {
  const root = process.env["TUNELAB_RESULTS_DIR"] || join(homedir(), "tunelab_results");
  if (name !== undefined) return join(root, name);
  const base = join(root, `tune_${new Date().toISOString().replace(/[:.]/g, "-")}`);
  let dir = base;
  for (let n = 2; existsSync(dir); n++) dir = `${base}_${n}`;
  return dir;
}

function trainableSource(trainable: Trainable | TrainableSource): TrainableSource | undefined {
  return "module" in trainable || "command" in trainable ? trainable : undefined;
}

function sourceName(source: TrainableSource): string {
  return "module" in source ? basename(source.module) : source.command.join(" ");
}

export { detectCapacity };
