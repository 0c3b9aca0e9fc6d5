import type { Json, Mode, Resources, Scheduler, Searcher } from "../contracts/index.ts";
import type { Space } from "../space/index.ts";
import type { TuneCallback } from "../callbacks/index.ts";
import type { ComputeBudget, Stopper } from "../stoppers/index.ts";
import type { Scope } from "../summary.ts";
import type { StorageFs } from "../experiment-dir/index.ts";

/**
 * The options of one experiment, the same for every backend: `simulate()` adds
 * the objective and the cluster, `tune()` the trainable and what the machine
 * offers. Declared once; the loop settings are passed through unchanged.
 */
export interface ExperimentOptions {
  space: Space;
  metric: string;
  mode: Mode;
  /**
   * Most trials to create; the searcher may end sooner by answering "done".
   * Optional with a `budget`: trials then keep coming until the budget is spent.
   */
  trials?: number;
  /**
   * Experiment budget in seconds on the loop's clock (simulated, or wall on a real
   * backend) and/or GPU-hours held by trials, whichever runs out first: the
   * experiment stops when it is spent, running trials included, so methods
   * compare at equal cost rather than at equal trial counts.
   */
  budget?: ComputeBudget;
  /** @defaultValue GridSearch when the space has grid leaves, else RandomSearch */
  searcher?: Searcher;
  /** @defaultValue new FIFOScheduler() */
  scheduler?: Scheduler;
  /** Seeds every random stream of the run (searcher, trials, preemptions). @defaultValue 0 */
  seed?: number;
  /**
   * What each trial holds. @defaultValue 1 CPU, plus 1 GPU when the cluster (or
   * machine) has GPUs: the one rule for every backend, so a simulated run and a
   * real run on the same hardware place trials alike.
   */
  resources?: Resources;
  /** Stop each trial at this iteration (null: only the trainable's own `done` or a stopper ends it). @defaultValue 100 */
  maxIterations?: number | null;
  stoppers?: readonly Stopper[];
  /** Save a checkpoint every N iterations (0: only when needed for a pause, an exploit or the end). @defaultValue 0 */
  checkpointFrequency?: number;
  /** @defaultValue false */
  checkpointAtEnd?: boolean;
  /** Checkpoints each trial keeps, its newest (Ray's num_to_keep); ones a trial may still restore are pinned. Left out: all. */
  keepCheckpoints?: number;
  /** Failures a trial may have before ERROR (-1: unlimited). Preemptions never count. @defaultValue 0 */
  maxFailures?: number;
  /** How `best` ranks trials. @defaultValue "last" */
  scope?: Scope;
  /** Let `best` be a trial that ended in ERROR. @defaultValue false */
  bestIncludesErrored?: boolean;
  /** Receives the JSONL event trace, one line per call. Off by default (it costs time). */
  trace?: (line: string) => void;
  /** Experiment state from a previous run's `loop.save()`, to resume. */
  resumeFrom?: Json;
  /**
   * Resume the experiment saved in `storagePath` (its experiment_state.json): ended
   * trials keep their histories, running and paused ones restart from their latest
   * checkpoint, the searcher and scheduler carry on. Without it, a `storagePath` that
   * already holds an experiment is an error. With nothing saved there yet, it starts.
   * @defaultValue false
   */
  resume?: boolean;
  /** The file operations under `storagePath` (tests inject failing ones: a full disk). @defaultValue node:fs */
  storageFs?: StorageFs;
  /** Hooks called as the experiment runs (see `TuneCallback`); a hook that throws is reported once and the run goes on. */
  callbacks?: readonly TuneCallback[];
  /**
   * The experiment directory: the built-in loggers write params.json, result.jsonl and
   * progress.csv per trial, trials.csv, decisions.jsonl and trace.jsonl here (and a real
   * backend its checkpoints). Left out: a simulation writes nothing.
   */
  storagePath?: string;
  /** Write the built-in loggers' files under `storagePath`. @defaultValue true */
  loggers?: boolean;
  /** Live progress on stderr: true forces it, false turns it off, "auto" shows it on a terminal. @defaultValue simulate: false; tune: "auto" */
  progress?: boolean | "auto";
}

/** The experiment with its algorithms chosen (see algorithms/experiment-defaults.ts). */
export interface ResolvedExperimentOptions extends ExperimentOptions {
  searcher: Searcher;
  scheduler: Scheduler;
}

/** What the defaults are built from: the checked options, with the seed and trial count resolved (Infinity: unlimited, under a budget). */
export type CheckedExperimentOptions = ExperimentOptions & { seed: number; trials: number };

/** The default per-trial resources, by the one rule above. */
export function defaultResources(hasGpus: boolean): Resources {
  return hasGpus ? { cpu: 1, gpu: 1 } : { cpu: 1, gpu: 0 };
}
