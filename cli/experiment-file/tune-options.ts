import type { Mode, Resources, Scheduler, Searcher } from "../../core/contracts/index.ts";
import type { Space } from "../../core/space/index.ts";
import type { FileTrainable, ResolvedExperiment } from "./resolve.ts";
import type { TuneOptions } from "../../real-backend/index.ts";

/**
 * What `tune()` receives for a file's experiment: the engine's options with the process
 * executor's trainable forms (`{ module, export }` or `{ command, cwd, env }`) and its
 * options. Optional fields are absent, never undefined, so tune()'s own defaults apply.
 */
export interface ExperimentTuneOptions {
  name: string;
  trainable: FileTrainable;
  space: Space;
  metric: string;
  mode: Mode;
  trials: number;
  seed: number;
  searcher: Searcher;
  scheduler: Scheduler;
  resources: Resources;
  maxIterations?: number;
  storagePath?: string;
  maxFailures?: number;
  checkpointFrequency?: number;
  keepCheckpoints?: number;
  stepTimeoutSeconds?: number;
  reuseActors?: boolean;
}

/** The one mapping from a resolved experiment file to tune()'s options. */
export function experimentToTuneOptions(resolved: ResolvedExperiment): ExperimentTuneOptions {
  const options: ExperimentTuneOptions = {
    name: resolved.name,
    trainable: resolved.trainable,
    space: resolved.space,
    metric: resolved.metric,
    mode: resolved.mode,
    trials: resolved.trials,
    seed: resolved.seed,
    searcher: resolved.searcher.instance,
    scheduler: resolved.scheduler.instance,
    resources: resolved.resources,
  };
  if (resolved.maxIterations !== undefined) options.maxIterations = resolved.maxIterations;
  if (resolved.storagePath !== undefined) options.storagePath = resolved.storagePath;
  if (resolved.maxFailures !== undefined) options.maxFailures = resolved.maxFailures;
  if (resolved.checkpointFrequency !== undefined) options.checkpointFrequency = resolved.checkpointFrequency;
  if (resolved.keepCheckpoints !== undefined) options.keepCheckpoints = resolved.keepCheckpoints;
  if (resolved.stepTimeoutSeconds !== undefined) options.stepTimeoutSeconds = resolved.stepTimeoutSeconds;
  if (resolved.reuseActors !== undefined) options.reuseActors = resolved.reuseActors;
  return options satisfies TuneOptions;
}
