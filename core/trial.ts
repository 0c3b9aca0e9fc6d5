import type { CheckpointRef, Config, Resources, Result, TrialStatus, TrialView } from "./contracts/index.ts";

/** What the loop does with a trial once its in-flight save lands. */
export type AfterSave = "continue" | "pause" | "stop" | "none";

/** The loop's mutable trial record; algorithms only ever see it as a `TrialView`. */
export class Trial implements TrialView {
  status: TrialStatus = "PENDING";
  history: Result[] = [];
  lastResult: Result | undefined = undefined;
  latestCheckpoint: CheckpointRef | undefined = undefined;
  /** Results the trial had when `latestCheckpoint` was taken or restored (by position: after a PBT exploit, iterations need not increase). */
  historyAtCheckpoint = 0;
  savePending = false;
  /** Carried out when the pending save lands (a decision waits for the save). */
  afterSave: AfterSave = "none";
  /** Checkpoint to start from next time the trial is placed (after a failure, a pause or a resume). */
  restoreFrom: CheckpointRef | undefined = undefined;
  /** A scheduler asked for a checkpoint at the next result (a PBT donor). */
  checkpointRequested = false;
  /** Failures that count against maxFailures (preemptions do not). */
  failures = 0;
  preemptions = 0;
  errorMessage: string | undefined = undefined;
  errorStack: string | undefined = undefined;
  /** Set while this trial waits for a donor's save before exploiting it. */
  exploitWait: { readonly from: string; readonly config: Config } | undefined = undefined;

  constructor(
    readonly id: string,
    readonly index: number,
    public config: Config,
    /** Changed only by `reallocate`, while the trial holds nothing (ResourceChangingScheduler). */
    public resources: Resources,
  ) {}

  /**
   * New resources for a trial that is not running (PAUSED or PENDING): it gets
   * them at its next start, which restores its checkpoint, as a cluster can
   * only resize a trial by restarting it.
   */
  reallocate(resources: Resources): void {
    if (this.status !== "PAUSED" && this.status !== "PENDING") {
      throw new Error(`internal: trial ${this.id} re-allocated while ${this.status}; only a PAUSED or PENDING trial can change resources`);
    }
    this.resources = { cpu: resources.cpu, gpu: resources.gpu };
  }

  get iteration(): number {
    return this.lastResult?.iteration ?? 0;
  }

  /**
   * Adopts `checkpoint` as the trial's latest: its own save, or a donor's it
   * restored (PBT). Remembers how many results the trial had then, so a restart
   * from this checkpoint knows exactly which results it will re-do.
   */
  adoptCheckpoint(checkpoint: CheckpointRef): void {
    this.latestCheckpoint = checkpoint;
    this.historyAtCheckpoint = this.history.length;
  }

  /**
   * Before a restart: drops the results that the restart will re-do (those after
   * the latest checkpoint, or all of them when starting from scratch); returns how many.
   */
  dropResultsToRedo(fromCheckpoint: boolean): number {
    const keep = fromCheckpoint ? Math.min(this.historyAtCheckpoint, this.history.length) : 0;
    const dropped = this.history.length - keep;
    if (dropped > 0) {
      this.history.length = keep;
      this.lastResult = this.history[keep - 1];
    }
    return dropped;
  }
}

/** Trial ids sort in creation order as strings too. */
export function trialIdFor(index: number): string {
  return `t${String(index).padStart(5, "0")}`;
}
