import type { CheckpointRef, Config, Mode, Resources, Result, TrialView } from "../contracts/index.ts";

/** What the experiment is, handed to `onExperimentStart`. */
export interface ExperimentStartInfo {
  readonly metric: string;
  readonly mode: Mode;
  /** Most trials the loop may create (Infinity: until the searcher is done). */
  readonly maxTrials: number;
  readonly resources: Resources;
  /** Loop clock at the start (simulated seconds in the simulator). */
  readonly time: number;
}

export interface ExperimentEndInfo {
  readonly time: number;
  readonly trials: readonly TrialView[];
}

export interface TrialStartInfo {
  readonly time: number;
  /** The checkpoint the trial restarts from (after a pause, a failure, a resume, a PBT exploit of a waiting trial). */
  readonly restoreFrom: CheckpointRef | undefined;
}

export interface TrialErrorInfo {
  readonly time: number;
  readonly reason: string;
  /** A preemption or a failure within maxFailures: the trial goes back to PENDING. */
  readonly willRetry: boolean;
  readonly recoverable: boolean;
}

/**
 * What the scheduler (or a stopper) decided about a trial. "promote": the
 * scheduler let it past a rung; "resume": a paused trial was chosen to run again.
 */
export type DecisionKind = "stop" | "pause" | "promote" | "resume";

export interface DecisionEvent {
  readonly time: number;
  readonly trialId: string;
  readonly kind: DecisionKind;
  /** The iteration the trial had reached. */
  readonly iteration: number;
  /** Why, in words ("below the rung-2 cutoff 0.412"); "" when the scheduler gave none. */
  readonly reason: string;
  /** Who decided: "scheduler", "stopper", "objective" (its own `done`) or "loop" (end of the experiment). */
  readonly by: "scheduler" | "stopper" | "objective" | "loop";
}

/** A PBT exploit: `recipient` takes `donor`'s checkpoint and `newConfig`. */
export interface ExploitEvent {
  readonly time: number;
  readonly donor: string;
  readonly recipient: string;
  /** The donor checkpoint's iteration and training seconds, which the recipient now carries. */
  readonly iteration: number;
  readonly timeTotal: number;
  readonly oldConfig: Config;
  readonly newConfig: Config;
  readonly reason: string;
}

/**
 * Hooks into a running experiment (`simulate({ callbacks })`, `tune({ callbacks })`).
 * All are optional and called synchronously, in event order. A hook that throws
 * is reported once on stderr with the callback's name and does not stop the run.
 * Trials are live views: copy what you keep.
 */
export interface TuneCallback {
  /** Shown when a hook throws. @defaultValue the class name */
  readonly name?: string;
  onExperimentStart?(info: ExperimentStartInfo): void;
  onExperimentEnd?(info: ExperimentEndInfo): void;
  onTrialStart?(trial: TrialView, info: TrialStartInfo): void;
  onTrialResult?(trial: TrialView, result: Result): void;
  /** The trial ended TERMINATED. */
  onTrialComplete?(trial: TrialView, time: number): void;
  /** The trial failed (`willRetry`: it goes back to PENDING; else it ended in ERROR). */
  onTrialError?(trial: TrialView, info: TrialErrorInfo): void;
  onCheckpoint?(trial: TrialView, checkpoint: CheckpointRef, time: number): void;
  onDecision?(event: DecisionEvent): void;
  onExploit?(event: ExploitEvent): void;
}

/** Every hook of `TuneCallback`, by name (for checking a callback loaded from a module). */
export const CALLBACK_HOOKS = [
  "onExperimentStart",
  "onExperimentEnd",
  "onTrialStart",
  "onTrialResult",
  "onTrialComplete",
  "onTrialError",
  "onCheckpoint",
  "onDecision",
  "onExploit",
] as const satisfies ReadonlyArray<Exclude<keyof TuneCallback, "name">>;

// Compile-time: the list names every hook (a hook added to TuneCallback and not here fails to typecheck).
type MissingHook = Exclude<Exclude<keyof TuneCallback, "name">, (typeof CALLBACK_HOOKS)[number]>;
const everyHookListed: [MissingHook] extends [never] ? true : MissingHook = true;
void everyHookListed;
