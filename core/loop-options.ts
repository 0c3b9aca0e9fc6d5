import { OptionError } from "./contracts/index.ts";
import type { Executor, Mode, Resources, Scheduler, Searcher } from "./contracts/index.ts";
import type { Stopper } from "./stoppers/index.ts";
import type { EventTrace } from "./trace.ts";
import type { TuneCallback } from "./callbacks/index.ts";

export interface TuneLoopOptions {
  searcher: Searcher;
  scheduler: Scheduler;
  executor: Executor;
  metric: string;
  mode: Mode;
  /** Most trials to create; the searcher may end sooner by answering "done". */
  trials: number;
  /** @defaultValue { cpu: 1, gpu: 0 } */
  resources?: Resources;
  /** Save a checkpoint every N iterations (0: only when needed for a pause, an exploit or the end). @defaultValue 0 */
  checkpointFrequency?: number;
  /** @defaultValue false */
  checkpointAtEnd?: boolean;
  /**
   * Checkpoints each trial keeps, its newest (Ray's `num_to_keep`); older ones are discarded
   * unless a trial may still restore them (a PBT clone, a paused or failed trial). Left out: all are kept.
   */
  keepCheckpoints?: number;
  /** Failures a trial may have before ERROR (-1: unlimited). Preemptions never count. @defaultValue 0 */
  maxFailures?: number;
  stoppers?: readonly Stopper[];
  trace?: EventTrace;
  /** Hooks called as the experiment runs (loggers, progress, user code). None: the loop pays nothing. */
  callbacks?: readonly TuneCallback[];
}

/** The optional loop settings `simulate()` and `tune()` both pass through, without undefined keys (exactOptionalPropertyTypes). */
export function optionalLoopSettings(options: {
  stoppers?: readonly Stopper[];
  checkpointFrequency?: number;
  checkpointAtEnd?: boolean;
  keepCheckpoints?: number;
  maxFailures?: number;
  trace?: EventTrace | undefined;
  callbacks?: readonly TuneCallback[] | undefined;
}): Partial<TuneLoopOptions> {
  const settings: Partial<TuneLoopOptions> = {};
  if (options.stoppers) settings.stoppers = options.stoppers;
  if (options.checkpointFrequency !== undefined) settings.checkpointFrequency = options.checkpointFrequency;
  if (options.checkpointAtEnd !== undefined) settings.checkpointAtEnd = options.checkpointAtEnd;
  if (options.keepCheckpoints !== undefined) settings.keepCheckpoints = options.keepCheckpoints;
  if (options.maxFailures !== undefined) settings.maxFailures = options.maxFailures;
  if (options.trace) settings.trace = options.trace;
  if (options.callbacks && options.callbacks.length > 0) settings.callbacks = options.callbacks;
  return settings;
}

export function validateLoopOptions(loop: {
  maxTrials: number;
  resources: Resources;
  checkpointFrequency: number;
  maxFailures: number;
}): void {
  const { maxTrials, resources, checkpointFrequency, maxFailures } = loop;
  if (!(Number.isInteger(maxTrials) && maxTrials >= 1) && maxTrials !== Number.POSITIVE_INFINITY) {
    throw new OptionError("trials", `must be an integer >= 1, got ${maxTrials}`);
  }
  if (!(resources.cpu >= 0) || !Number.isFinite(resources.cpu)) {
    throw new OptionError("resources.cpu", `must be a finite number >= 0, got ${resources.cpu}`);
  }
  if (!(resources.gpu >= 0) || !Number.isFinite(resources.gpu)) {
    throw new OptionError("resources.gpu", `must be a finite number >= 0, got ${resources.gpu}`);
  }
  if (resources.gpu > 1 && !Number.isInteger(resources.gpu)) {
    throw new OptionError("resources.gpu", `above 1 must be a whole number of GPUs, got ${resources.gpu}`);
  }
  if (!Number.isInteger(checkpointFrequency) || checkpointFrequency < 0) {
    throw new OptionError("checkpointFrequency", `must be an integer >= 0, got ${checkpointFrequency}`);
  }
  if (!Number.isInteger(maxFailures) || maxFailures < -1) {
    throw new OptionError("maxFailures", `must be an integer >= -1, got ${maxFailures}`);
  }
}

