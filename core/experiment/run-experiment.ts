import { integerAtLeast, integerOption, objectivity, OptionError } from "../contracts/index.ts";
import type { DrivenExecutor, Mode, Scheduler, Searcher, TrialStatus, TrialView } from "../contracts/index.ts";
import { validateSpace } from "../space/index.ts";
import { ComputeBudgetStopper, MaximumIterationStopper, validateComputeBudget, type Stopper } from "../stoppers/index.ts";
import { bestTrial, countByStatus, type BestTrial } from "../summary.ts";
import { EventTrace } from "../trace.ts";
import { ExperimentLogger, type ExperimentOrigin, type LoadedState } from "../experiment-dir/index.ts";
import { ExperimentDirSession, openExperimentDir, restoreLoop } from "./experiment-dir-session.ts";
import { progressFor } from "../progress/index.ts";
import { TuneLoop } from "../tune-loop.ts";
import { checkTrialCount, MAX_TRIALS } from "./experiment-limits.ts";
import { defaultResources, type CheckedExperimentOptions, type ExperimentOptions } from "./experiment-options.ts";

/**
 * One experiment's figures, the same shape for every backend (the CLI's `--json`).
 * On a real backend the simulator-only fields are 0: simulatedSeconds,
 * gpuSecondsLostToPreemption, preemptions, nodesLost and costDollars.
 */
export interface ExperimentSummary {
  metric: string;
  mode: Mode;
  seed: number;
  best: { metric: number; config: Record<string, unknown>; trialId: string; iteration: number } | null;
  trials: number;
  trialStates: Record<TrialStatus, number>;
  results: number;
  events: number;
  simulatedSeconds: number;
  wallSeconds: number;
  gpuSeconds: number;
  gpuSecondsLostToPreemption: number;
  preemptions: number;
  nodesLost: number;
  redoneIterations: number;
  failures: number;
  checkpoints: number;
  /** Checkpoints freed by `keepCheckpoints`. */
  checkpointsDiscarded: number;
  actorStarts: number;
  actorReuses: number;
  costDollars: number;
  /** Simulator: nodes the autoscaler launched. */
  nodesLaunched: number;
  /** Simulator: node-hours with no trial placed. */
  idleNodeHours: number;
  /** Simulator: GPU-hours of the nodes paid for. */
  paidGpuHours: number;
  /** Simulator: share of the paid GPU-hours that trials held (gpuSeconds / paid GPU-seconds); 0 with nothing paid. */
  paidGpuUtilisation: number;
  /** Simulator: the same node-hours priced on demand (equal to costDollars without spot nodes). */
  costOnDemandDollars: number;
  /** Simulator: GPU-seconds of work a checkpoint taken under a preemption notice kept from being lost. */
  gpuSecondsSavedByNotice: number;
}

export interface ExperimentRun {
  best: BestTrial | undefined;
  trials: readonly TrialView[];
  summary: ExperimentSummary;
  /** The loop, for `save()` of the final experiment state. */
  loop: TuneLoop;
}

/** What the engine hands the backend when it builds the executor. */
export interface ExecutorContext {
  seed: number;
  trace: EventTrace | undefined;
}

/** The trainable or objective under tuning, as far as the engine checks it. */
export interface ExperimentSubject {
  readonly name: string;
  /** Metrics it reports, when it declares them: `metric` must be one. */
  readonly metrics?: readonly string[];
}

export interface ExperimentSetup<E extends DrivenExecutor> {
  options: ExperimentOptions;
  subject: ExperimentSubject;
  /** What the subject is called in messages. */
  subjectKind: "objective" | "trainable";
  /** Builds the backend's executor (called after the options are checked). */
  executor: (context: ExecutorContext) => E;
  /** How the built-in loggers write: a simulation buffers (its results come far faster than appends), a real run appends each result. */
  logging: { kind: "simulation" | "real"; flushEveryMs?: number; progress: boolean | "auto" };
  /** The searcher and scheduler to use when the options name none (algorithms/experiment-defaults.ts). */
  defaults: (options: CheckedExperimentOptions) => { searcher: Searcher; scheduler: Scheduler };
  /** How `tunelab resume DIR` can rebuild this experiment (saved in experiment_state.json). */
  origin: ExperimentOrigin;
}

type SyncExecutor = DrivenExecutor & { run(isFinished: () => boolean): void };
type AsyncExecutor = DrivenExecutor & { run(isFinished: () => boolean): Promise<void> };

/**
 * The experiment engine: checks the options once, builds the executor, the
 * stoppers and the loop, resumes if asked, drives the executor to the end and
 * summarises. `simulate()` and `tune()` are thin adapters over it; the
 * simulator's executor runs synchronously, real ones return a promise.
 */
// The async overload comes first: a `run` returning a promise also fits `() => void`.
export function runExperiment(setup: ExperimentSetup<AsyncExecutor>): Promise<ExperimentRun>;
export function runExperiment(setup: ExperimentSetup<SyncExecutor>): ExperimentRun;
export function runExperiment(setup: ExperimentSetup<DrivenExecutor>): ExperimentRun | Promise<ExperimentRun> {
  const started = performance.now();
  const { options, subject } = setup;
  const seed = checkExperimentOptions(options, `${setup.subjectKind} ${subject.name}`, subject.metrics);
  // Unlimited (under a budget) still stops at MAX_TRIALS: every trial's record stays in memory.
  const unlimited = options.trials === undefined || options.trials === Number.POSITIVE_INFINITY;
  const trials = unlimited ? MAX_TRIALS : (options.trials as number);
  const maxIterations = options.maxIterations === undefined ? 100 : options.maxIterations;
  const stoppers: Stopper[] = [...(options.stoppers ?? [])];
  if (maxIterations !== null) stoppers.unshift(new MaximumIterationStopper(integerAtLeast("maxIterations", maxIterations, 1)));
  if (options.resume !== undefined && typeof options.resume !== "boolean") throw new OptionError("resume", `must be true or false, got ${JSON.stringify(options.resume)}`);
  if (options.resume === true && options.storagePath === undefined) throw new OptionError("resume", "needs the storagePath (or name) of the experiment to resume");
  if (options.resume === true && options.resumeFrom !== undefined) throw new OptionError("resume", "give resume or resumeFrom, not both");
  const dir = options.storagePath;
  const saved: LoadedState | undefined = dir === undefined ? undefined : openExperimentDir(dir, options.resume === true);
  const logger =
    dir !== undefined && options.loggers !== false
      ? new ExperimentLogger(dir, {
          kind: setup.logging.kind,
          // A real run's per-trial files are written off the event loop (drained before the run returns); a simulation's stay synchronous.
          asyncTrialFiles: setup.logging.kind === "real",
          ...(setup.logging.flushEveryMs !== undefined ? { flushEveryMs: setup.logging.flushEveryMs } : {}),
          ...(options.storageFs ? { fs: options.storageFs } : {}),
        })
      : undefined;
  const session =
    dir === undefined
      ? undefined
      : new ExperimentDirSession(
          dir,
          setup.origin,
          setup.logging.kind === "simulation" ? { kind: "coalesced", everyMs: 1000 } : { kind: "every-event" },
          logger,
          options.storageFs,
          saved,
        );
  const trace = traceFor(options.trace, logger?.traceWriter());
  const progress = progressFor(options.progress ?? setup.logging.progress);
  const callbacks = [...(logger ? [logger] : []), ...(session ? [session] : []), ...(options.callbacks ?? []), ...(progress ? [progress] : [])];
  const algorithms =
    options.searcher && options.scheduler ? { searcher: options.searcher, scheduler: options.scheduler } : setup.defaults({ ...options, seed, trials: unlimited ? Number.POSITIVE_INFINITY : trials });
  const executor = setup.executor({ seed, trace });
  if (options.budget !== undefined) stoppers.push(new ComputeBudgetStopper(options.budget, () => executor.gpuSecondsUsed()));
  let loop: TuneLoop;
  let ran: void | Promise<void>;
  try {
    loop = new TuneLoop({
      searcher: algorithms.searcher,
      scheduler: algorithms.scheduler,
      executor,
      metric: options.metric,
      mode: options.mode,
      trials,
      resources: options.resources ?? defaultResources(executor.couldEverPlace({ cpu: 1, gpu: 1 })),
      stoppers,
      subject: `${setup.subjectKind} "${subject.name}"`,
      ...loopSettings(options),
      ...(trace ? { trace } : {}),
      ...(callbacks.length > 0 ? { callbacks } : {}),
    });
    if (options.resumeFrom !== undefined) loop.restore(options.resumeFrom);
    if (saved && dir !== undefined) {
      restoreLoop(loop, saved, dir);
      session?.adoptRestored(loop);
      logger?.adoptTrials(loop.trials, options.metric, options.mode);
    }
    if (session) executor.setListener(session.listener(loop));
    if (saved?.ended) {
      // Resuming an experiment that had ended: its trials are all done, nothing runs.
      ran = undefined;
    } else {
      loop.begin();
      session?.afterEvent(loop);
      const driven = loop;
      ran = executor.run(() => driven.finished);
    }
  } catch (error) {
    session?.close();
    void executor.close?.();
    throw error;
  }
  const finish = (): ExperimentRun => {
    const best = bestTrial(loop.trials, options.metric, options.mode, options.scope ?? "last", options.bestIncludesErrored === true);
    return { best, trials: loop.trials, summary: summarize(loop, executor, seed, options, best, (performance.now() - started) / 1000), loop };
  };
  if (ran instanceof Promise || logger?.writesOffLoop === true) {
    return Promise.resolve(ran)
      .then(async () => {
        // The per-trial files written off the loop are out before the run returns (and their first failed write fails it).
        await logger?.drain();
        if (logger?.failure) throw logger.failure;
        return finish();
      })
      .finally(async () => {
        await logger?.drain().catch(() => undefined);
        session?.close();
        await executor.close?.();
      });
  }
  session?.close();
  void executor.close?.();
  return finish();
}

/** One trace for the user's writer, the experiment directory's, or both. */
function traceFor(user: ((line: string) => void) | undefined, dir: ((line: string) => void) | undefined): EventTrace | undefined {
  if (user && dir) {
    return new EventTrace((line) => {
      user(line);
      dir(line);
    });
  }
  const write = user ?? dir;
  return write ? new EventTrace(write) : undefined;
}

/** The loop settings the user gave, without undefined keys (exactOptionalPropertyTypes): the loop applies its defaults. */
function loopSettings(options: ExperimentOptions): Pick<ExperimentOptions, "checkpointFrequency" | "checkpointAtEnd" | "keepCheckpoints" | "maxFailures"> {
  const { checkpointFrequency, checkpointAtEnd, keepCheckpoints, maxFailures } = options;
  return Object.fromEntries(
    Object.entries({ checkpointFrequency, checkpointAtEnd, keepCheckpoints, maxFailures }).filter(([, v]) => v !== undefined),
  );
}

/** The checks every backend shares; returns the seed. They run before any algorithm is built, so errors name the experiment's own options. */
export function checkExperimentOptions(options: ExperimentOptions, subject: string, reported: readonly string[] | undefined): number {
  if (typeof options !== "object" || options === null) throw new OptionError("options", "must be an object");
  validateSpace(options.space);
  const { metric } = objectivity(options, "");
  const seed = integerOption("seed", options.seed ?? 0);
  if (options.budget !== undefined) validateComputeBudget(options.budget);
  else if (options.trials === undefined) throw new OptionError("trials", "is required without a budget");
  if (typeof options.trials === "number") checkTrialCount("trials", options.trials);
  if (reported && !reported.includes(metric)) {
    throw new OptionError("metric", `"${metric}" is not reported by ${subject} (reports: ${reported.join(", ")})`);
  }
  return seed;
}

function summarize(
  loop: TuneLoop,
  executor: DrivenExecutor,
  seed: number,
  options: ExperimentOptions,
  best: BestTrial | undefined,
  wallSeconds: number,
): ExperimentSummary {
  const stats = executor.stats();
  return {
    metric: options.metric,
    mode: options.mode,
    seed,
    best: best ? { metric: best.metric, config: best.config, trialId: best.trialId, iteration: best.iteration } : null,
    trials: loop.trials.length,
    trialStates: countByStatus(loop.trials),
    results: loop.counters.results,
    events: stats.events,
    simulatedSeconds: executor.virtualClock ? executor.now() : 0,
    wallSeconds,
    gpuSeconds: stats.gpuSeconds,
    gpuSecondsLostToPreemption: stats.gpuSecondsLostToPreemption,
    preemptions: stats.preemptions,
    nodesLost: stats.nodesLost,
    redoneIterations: loop.counters.redoneIterations,
    failures: loop.counters.failures,
    checkpoints: loop.counters.checkpoints,
    checkpointsDiscarded: loop.counters.checkpointsDiscarded,
    actorStarts: stats.actorStarts,
    actorReuses: stats.actorReuses,
    costDollars: stats.costDollars,
    nodesLaunched: stats.nodesLaunched,
    idleNodeHours: stats.idleNodeSeconds / 3600,
    paidGpuHours: stats.paidGpuSeconds / 3600,
    paidGpuUtilisation: stats.paidGpuSeconds > 0 ? stats.gpuSeconds / stats.paidGpuSeconds : 0,
    costOnDemandDollars: stats.costOnDemandDollars,
    gpuSecondsSavedByNotice: stats.gpuSecondsSavedByNotice,
  };
}
