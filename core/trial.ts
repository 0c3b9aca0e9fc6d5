import { ContractError } from "./contracts/index.ts";
import type { CheckpointRef, Config, Resources, Result, TrialStatus, TrialView } from "./contracts/index.ts";

/** What the loop does with a trial once its in-flight save lands. */
export type AfterSave = "continue" | "pause" | "stop" | "exploit";

/**
 * Where a trial is besides its status: nothing in flight, a save in flight (and
 * what follows it), or held until a donor's checkpoint lands (a PBT exploit; the
 * pending exploit itself lives in `ExploitHandoff`).
 */
export type SavePhase = "none" | `saving-then-${AfterSave}` | "waiting-for-donor";

/**
 * The trial lifecycle, as one table: for each status, the save phases a trial
 * may be in. Every change goes through a `Trial` method, which names the
 * (status, phase) pairs it starts from; any other pair is a ContractError, so a
 * loop bug shows up where it happens instead of as a trial stuck for ever.
 *
 *   status      phases
 *   PENDING     none, waiting-for-donor
 *   RUNNING     none, saving-then-{continue,pause,stop,exploit}, waiting-for-donor
 *   PAUSED      none, waiting-for-donor
 *   TERMINATED  none
 *   ERROR       none
 */
export const LIFECYCLE: { readonly [S in TrialStatus]: readonly SavePhase[] } = {
  PENDING: ["none", "waiting-for-donor"],
  RUNNING: ["none", "saving-then-continue", "saving-then-pause", "saving-then-stop", "saving-then-exploit", "waiting-for-donor"],
  PAUSED: ["none", "waiting-for-donor"],
  TERMINATED: ["none"],
  ERROR: ["none"],
};

/** A (status, phase) pair of the table, written "STATUS/phase". */
export type LifecycleState = `${TrialStatus}/${SavePhase}`;

/** The transitions: each method's legal starting states and where it leads (the table's edges). */
export const TRANSITIONS = {
  start: { from: ["PENDING/none", "PAUSED/none"], to: "RUNNING/none" },
  beginSave: { from: ["RUNNING/none"], to: "RUNNING/saving-then-*" },
  stopAfterSave: { from: ["RUNNING/saving-then-continue", "RUNNING/saving-then-pause", "RUNNING/saving-then-stop", "RUNNING/saving-then-exploit"], to: "RUNNING/saving-then-stop" },
  saveLanded: { from: ["RUNNING/saving-then-continue", "RUNNING/saving-then-pause", "RUNNING/saving-then-stop", "RUNNING/saving-then-exploit"], to: "RUNNING/none" },
  awaitDonor: { from: ["PENDING/none", "PAUSED/none", "RUNNING/none"], to: "(same status)/waiting-for-donor" },
  donorSettled: { from: ["PENDING/waiting-for-donor", "PAUSED/waiting-for-donor", "RUNNING/waiting-for-donor"], to: "(same status)/none" },
  pause: { from: ["RUNNING/none"], to: "PAUSED/none" },
  end: { from: ["RUNNING/none", "PENDING/none", "PAUSED/none"], to: "TERMINATED/none" },
  fail: { from: ["RUNNING/*"], to: "PENDING/none or ERROR/none" },
  resumeAfterCrash: { from: ["RUNNING/*", "PENDING/*", "PAUSED/*"], to: "PENDING/none or PAUSED/none" },
} as const satisfies Record<string, { from: readonly string[]; to: string }>;

export type Transition = keyof typeof TRANSITIONS;

/** The loop's mutable trial record; algorithms only ever see it as a `TrialView`. */
export class Trial implements TrialView {
  private currentStatus: TrialStatus = "PENDING";
  private currentPhase: SavePhase = "none";
  history: Result[] = [];
  lastResult: Result | undefined = undefined;
  private checkpoint: CheckpointRef | undefined = undefined;
  /** Results the trial had when `latestCheckpoint` was taken or restored (by position: after a PBT exploit, iterations need not increase). */
  private resultsAtCheckpoint = 0;
  /** Checkpoint to start from next time the trial is placed (after a failure, a pause, an exploit or a resume). */
  private startFrom: CheckpointRef | undefined = undefined;
  /** Save at the next result: a scheduler asked (a PBT donor) or a preemption notice came. Survives a restart. */
  private saveAsked = false;
  /** Failures that count against maxFailures (preemptions do not). */
  failures = 0;
  preemptions = 0;
  errorMessage: string | undefined = undefined;
  errorStack: string | undefined = undefined;

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
      throw new ContractError(`Trial ${this.id}.reallocate`, `not allowed in ${this.state}: only a PAUSED or PENDING trial can change resources`);
    }
    this.resources = { cpu: resources.cpu, gpu: resources.gpu };
  }

  // ---- read-outs -----------------------------------------------------------

  get status(): TrialStatus {
    return this.currentStatus;
  }

  get phase(): SavePhase {
    return this.currentPhase;
  }

  get state(): LifecycleState {
    return `${this.currentStatus}/${this.currentPhase}`;
  }

  get savePending(): boolean {
    return this.currentPhase.startsWith("saving-then-");
  }

  /** Held until a donor's checkpoint lands: not a candidate to run, and (running) not stepping. */
  get waitingForDonor(): boolean {
    return this.currentPhase === "waiting-for-donor";
  }

  get saveRequested(): boolean {
    return this.saveAsked;
  }

  get latestCheckpoint(): CheckpointRef | undefined {
    return this.checkpoint;
  }

  get historyAtCheckpoint(): number {
    return this.resultsAtCheckpoint;
  }

  get restoreFrom(): CheckpointRef | undefined {
    return this.startFrom;
  }

  get iteration(): number {
    return this.lastResult?.iteration ?? 0;
  }

  // ---- transitions of the table -------------------------------------------

  /** PENDING or PAUSED -> RUNNING; returns the checkpoint to start from (and forgets it). */
  start(): CheckpointRef | undefined {
    this.expect("start");
    const from = this.startFrom;
    this.startFrom = undefined;
    this.currentStatus = "RUNNING";
    return from;
  }

  /** A save goes out; `then` is carried out when it lands. A pending save request is met by it. */
  beginSave(then: AfterSave): void {
    this.expect("beginSave");
    this.currentPhase = `saving-then-${then}`;
    this.saveAsked = false;
  }

  /** The whole experiment stops: whatever was to follow the save in flight, the trial ends after it. */
  stopAfterSave(): void {
    this.expect("stopAfterSave");
    this.currentPhase = "saving-then-stop";
  }

  /** The save in flight landed: adopts it and returns what was to follow. */
  saveLanded(checkpoint: CheckpointRef): AfterSave {
    this.expect("saveLanded");
    const then = this.currentPhase.slice("saving-then-".length) as AfterSave;
    this.currentPhase = "none";
    this.adoptCheckpoint(checkpoint);
    return then;
  }

  /** Held for a donor's save (ExploitHandoff holds the exploit itself). */
  awaitDonor(): void {
    this.expect("awaitDonor");
    this.currentPhase = "waiting-for-donor";
  }

  /** The donor's save landed, or the donor went away: the trial is free again (same status). */
  donorSettled(): void {
    this.expect("donorSettled");
    this.currentPhase = "none";
  }

  /** RUNNING -> PAUSED; it will start again from its latest checkpoint. */
  pause(): void {
    this.expect("pause");
    this.currentStatus = "PAUSED";
    this.saveAsked = false;
    this.startFrom = this.checkpoint;
  }

  /** RUNNING, PENDING or PAUSED -> TERMINATED. */
  end(): void {
    this.expect("end");
    this.currentStatus = "TERMINATED";
    this.startFrom = undefined;
  }

  /** A running trial failed: back to PENDING (from its latest checkpoint) when it is retried, else ERROR. */
  fail(retry: boolean, reason: string, stack: string | undefined): void {
    this.expect("fail");
    this.currentPhase = "none";
    if (retry) {
      this.currentStatus = "PENDING";
      this.startFrom = this.checkpoint;
      return;
    }
    this.currentStatus = "ERROR";
    this.errorMessage = reason;
    this.errorStack = stack;
  }

  /**
   * A resume without the executor's state (the driver crashed): the actor is gone,
   * so a RUNNING trial comes back PENDING, and any trial restarts from its latest
   * checkpoint. A pending exploit is handed back to ExploitHandoff by the loop.
   */
  resumeAfterCrash(): void {
    this.expect("resumeAfterCrash");
    if (this.currentStatus === "RUNNING") this.currentStatus = "PENDING";
    this.currentPhase = "none";
    this.startFrom ??= this.checkpoint;
  }

  // ---- changes within a state ---------------------------------------------

  /** Save at the next result (a PBT donor, a preemption notice). Only a trial that will run again may be asked. */
  requestSave(): void {
    if (this.currentStatus === "TERMINATED" || this.currentStatus === "ERROR") {
      throw new ContractError(`Trial ${this.id}.requestSave`, `not allowed in ${this.state}`);
    }
    this.saveAsked = true;
  }

  /**
   * Adopts `checkpoint` as the trial's latest: its own save, or a donor's it
   * restored (PBT). Remembers how many results the trial had then, so a restart
   * from this checkpoint knows exactly which results it will re-do.
   */
  adoptCheckpoint(checkpoint: CheckpointRef): void {
    this.checkpoint = checkpoint;
    this.resultsAtCheckpoint = this.history.length;
  }

  /**
   * A PBT exploit: the trial takes `checkpoint` (a donor's, or its own) under
   * `config`. A trial that is not running starts from it next time it is placed.
   */
  takeCheckpoint(checkpoint: CheckpointRef, config: Config): void {
    if (this.currentStatus === "TERMINATED" || this.currentStatus === "ERROR") {
      throw new ContractError(`Trial ${this.id}.takeCheckpoint`, `not allowed in ${this.state}`);
    }
    this.config = config;
    this.adoptCheckpoint(checkpoint);
    if (this.currentStatus !== "RUNNING") this.startFrom = checkpoint;
  }

  /**
   * While (re)starting: the checkpoint it restores from proved unusable, so it
   * restores `checkpoint` instead (an earlier one of its own, taken when it had
   * `resultsKept` results), or starts from scratch (undefined, 0).
   */
  fallBackTo(checkpoint: CheckpointRef | undefined, resultsKept: number): void {
    if (this.currentStatus !== "RUNNING") {
      throw new ContractError(`Trial ${this.id}.fallBackTo`, `not allowed in ${this.state}`);
    }
    this.checkpoint = checkpoint;
    this.resultsAtCheckpoint = checkpoint === undefined ? 0 : resultsKept;
  }

  /**
   * Before a restart: drops the results that the restart will re-do (those after
   * the latest checkpoint, or all of them when starting from scratch); returns how many.
   */
  dropResultsToRedo(fromCheckpoint: boolean): number {
    const keep = fromCheckpoint ? Math.min(this.resultsAtCheckpoint, this.history.length) : 0;
    const dropped = this.history.length - keep;
    if (dropped > 0) {
      this.history.length = keep;
      this.lastResult = this.history[keep - 1];
    }
    return dropped;
  }

  // ---- saving --------------------------------------------------------------

  /** The lifecycle fields, for the experiment state. */
  lifecycle(): SavedLifecycle {
    return {
      status: this.currentStatus,
      phase: this.currentPhase,
      latestCheckpoint: this.checkpoint ?? null,
      historyAtCheckpoint: this.resultsAtCheckpoint,
      restoreFrom: this.startFrom ?? null,
      saveRequested: this.saveAsked,
    };
  }

  /** Sets the lifecycle of a trial rebuilt from saved state (only on a fresh trial); the pair must be in the table. */
  restoreLifecycle(saved: SavedLifecycle): void {
    if (this.currentStatus !== "PENDING" || this.currentPhase !== "none" || this.history.length > 0) {
      throw new ContractError(`Trial ${this.id}.restoreLifecycle`, "only a fresh trial can take saved state");
    }
    if (!LIFECYCLE[saved.status]?.includes(saved.phase)) {
      throw new ContractError(`Trial ${this.id}.restoreLifecycle`, `${saved.status}/${saved.phase} is not a state of the trial lifecycle`);
    }
    this.currentStatus = saved.status;
    this.currentPhase = saved.phase;
    this.checkpoint = saved.latestCheckpoint ?? undefined;
    this.resultsAtCheckpoint = saved.historyAtCheckpoint;
    this.startFrom = saved.restoreFrom ?? undefined;
    this.saveAsked = saved.saveRequested;
  }

  private expect(transition: Transition): void {
    const from: readonly string[] = TRANSITIONS[transition].from;
    const state = this.state;
    if (from.includes(state) || from.includes(`${this.currentStatus}/*`)) return;
    throw new ContractError(`Trial ${this.id}.${transition}`, `not allowed in ${state} (allowed from ${from.join(", ")})`);
  }
}

/** A trial's lifecycle in the experiment state. */
export interface SavedLifecycle {
  status: TrialStatus;
  phase: SavePhase;
  latestCheckpoint: CheckpointRef | null;
  historyAtCheckpoint: number;
  restoreFrom: CheckpointRef | null;
  saveRequested: boolean;
}

/** Trial ids sort in creation order as strings too. */
export function trialIdFor(index: number): string {
  return `t${String(index).padStart(5, "0")}`;
}

/**
 * The creation index `trialIdFor` wrote into `id`, or -1 when `id` is not of
 * that form. Lets the loop find a trial by position in its array instead of a
 * Map lookup by string: with thousands of trials in flight the Map's entry is a
 * cache miss on every result. Callers confirm the match (`all[i].id === id`).
 */
export function trialIndexOf(id: string): number {
  const n = id.length;
  if (n < 6 || n > 16 || id.charCodeAt(0) !== 116 /* "t" */) return -1;
  let index = 0;
  for (let i = 1; i < n; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    index = index * 10 + digit;
  }
  return index;
}
