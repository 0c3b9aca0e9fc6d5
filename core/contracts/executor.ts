import type { Config, Json, Result } from "./result.ts";
import type { CheckpointRef, Resources, TrialView } from "./trial-view.ts";

/**
 * What an executor tells the loop. Calls arrive one at a time; the loop reacts
 * synchronously (it may issue commands from inside a handler).
 */
export interface ExecutorListener {
  /** A step finished. The trial then waits for `continueTrial`, `save`, `restore` or `stop`. */
  onResult(result: Result): void;
  /** A `save` finished. The trial waits for the next command. */
  onCheckpointed(checkpoint: CheckpointRef): void;
  /**
   * The trial's actor died; its resources are already released. `recoverable` failures (a preempted node) do not count against maxFailures.
   * `stack`: the stack of the error user code threw, when there was one (kept in the trial's record).
   */
  onFailed(trialId: string, recoverable: boolean, reason: string, stack?: string): void;
  onNodeAdded(nodeId: string): void;
  onNodeLost(nodeId: string): void;
  /**
   * Real backends call this about once a second while trials run, so time-based
   * stoppers (TimeoutStopper) act even when no result arrives (a long or hung step).
   */
  onClockTick?(): void;
  /** A spot node will be reclaimed in `secondsLeft`: the loop checkpoints the trials on it at their next result. */
  onPreemptionNotice(nodeId: string, trialIds: readonly string[], secondsLeft: number): void;
  /**
   * Restoring `trialId`, the executor found `checkpoint` unusable (deleted, interrupted,
   * truncated). It offers `fallback`, the checkpoint owner's newest usable earlier one
   * (the trial's own, or for a PBT exploit the donor's), if any. The listener answers
   * the checkpoint to restore, or undefined: from scratch, or for a donor's checkpoint
   * restored into a `live` trial (an exploit of a running trial), the exploit skipped
   * (the trial goes on with the weights it holds); or "fail" when the trial has no
   * failures left.
   */
  onCheckpointUnusable?(
    trialId: string,
    checkpoint: CheckpointRef,
    fallback: CheckpointRef | undefined,
    reason: string,
    live?: boolean,
  ): CheckpointRef | undefined | "fail";
}

/**
 * Runs trials. Commands are step-synchronous: `start` (and `continueTrial`,
 * `restore`) produce exactly one `onResult` (or `onFailed`); `save` produces
 * one `onCheckpointed`; `stop` releases the trial's resources at once.
 * The loop pauses a trial by `save` then `stop`, and resumes it by `start`
 * with `restoreFrom`.
 */
export interface Executor {
  /** Clock in seconds (virtual in the simulator, real elsewhere). */
  now(): number;
  /** Whether a trial needing `resources` could be placed right now. */
  canPlace(resources: Resources): boolean;
  /** Whether any node of the cluster, even a busy one, is large enough. */
  couldEverPlace(resources: Resources): boolean;
  /**
   * CPUs and GPUs of every node that can take work now, busy or not (what
   * Ray's DistributeResources shares out). Optional for test doubles.
   */
  totalResources?(): Resources;
  setListener(listener: ExecutorListener): void;
  start(trial: TrialView, restoreFrom?: CheckpointRef): void;
  continueTrial(trialId: string): void;
  save(trialId: string): void;
  /** Replace the running trial's state by `checkpoint` (possibly another trial's) and its config by `config`, then step. */
  restore(trialId: string, checkpoint: CheckpointRef, config: Config): void;
  stop(trialId: string): void;
  /**
   * The loop will never restore `checkpoint` again (retention, `keepCheckpoints`): free
   * what holds it (a directory on disk). Executors that keep checkpoints in memory may omit it.
   */
  discard?(checkpoint: CheckpointRef): void;
  /**
   * The executor's own state between two events (clock, queued work, actors), as
   * plain JSON, for an exact save of the whole experiment (`TuneLoop.save`).
   * Executors whose actors cannot be saved (real processes) omit it: a resume
   * then restarts the running trials from their checkpoints.
   */
  saveState?(): Json;
  /** Back from `saveState()`, on a fresh executor built with the same options (before any trial starts). */
  restoreState?(state: Json): void;
}

/** What an executor measured over a run; the fields a backend cannot know are 0 (see ExperimentSummary). */
export interface ExecutorStats {
  /** Events the executor delivered (simulator: heap events popped; real: results, saves and failures). */
  events: number;
  /** GPU-seconds held by trials (GPU count x seconds placed). */
  gpuSeconds: number;
  /** Simulator only: GPU-seconds of work lost to preemption (not yet in a checkpoint). */
  gpuSecondsLostToPreemption: number;
  /** Simulator only: trials whose node was preempted. */
  preemptions: number;
  /** Simulator only: nodes lost. */
  nodesLost: number;
  /** Simulator only: the cluster's price over the run. */
  costDollars: number;
  /** Actors started fresh (a process or a simulated actor start-up). */
  actorStarts: number;
  /** Trial starts that reused an idle actor instead. */
  actorReuses: number;
  /** Simulator only: nodes the autoscaler launched (that joined). */
  nodesLaunched: number;
  /** Simulator only: node-seconds with no trial placed, over every node paid for. */
  idleNodeSeconds: number;
  /** Simulator only: GPU-seconds of the nodes paid for (from launch request or start to end or loss). */
  paidGpuSeconds: number;
  /** Simulator only: what the same node-hours would have cost on demand. */
  costOnDemandDollars: number;
  /** Simulator only: GPU-seconds of work made durable by a checkpoint taken under a preemption notice. */
  gpuSecondsSavedByNotice: number;
}

/** Stats before anything ran: every executor starts its counts here. */
export function emptyExecutorStats(): ExecutorStats {
  return {
    events: 0,
    gpuSeconds: 0,
    gpuSecondsLostToPreemption: 0,
    preemptions: 0,
    nodesLost: 0,
    costDollars: 0,
    actorStarts: 0,
    actorReuses: 0,
    nodesLaunched: 0,
    idleNodeSeconds: 0,
    paidGpuSeconds: 0,
    costOnDemandDollars: 0,
    gpuSecondsSavedByNotice: 0,
  };
}

/**
 * An executor the experiment engine can drive to the end. `run` pops events (the
 * simulator, synchronously) or awaits them (real backends) until `isFinished()`
 * holds after an event; a deadlock throws a DeadlockError.
 */
export interface DrivenExecutor extends Executor {
  /** True when `now()` is a simulated clock (the summary then reports simulatedSeconds). */
  readonly virtualClock: boolean;
  run(isFinished: () => boolean): void | Promise<void>;
  stats(): ExecutorStats;
  /** GPU-seconds held so far, trials still running counted up to now: the meter of a GPU-hour budget. */
  gpuSecondsUsed(): number;
  /** Frees what the executor holds (worker processes); called once the run ends, even on error. */
  close?(): void | Promise<void>;
}
