import type { Config, Result } from "./result.ts";

export type TrialStatus = "PENDING" | "RUNNING" | "PAUSED" | "TERMINATED" | "ERROR";

/** Resources a trial holds while it runs. Fractional GPUs are allowed (several trials share one). */
export interface Resources {
  readonly cpu: number;
  readonly gpu: number;
}

/** What the loop knows of a saved checkpoint; `handle` is the executor's own (state in the simulator, a path on disk). */
export interface CheckpointRef {
  readonly trialId: string;
  readonly iteration: number;
  readonly timeTotal: number;
  readonly handle: unknown;
  /** The loop's number for this save, unique within an experiment (set by the loop, not the executor). */
  readonly seq?: number;
}

/** The read-only face of a trial that algorithms see. */
export interface TrialView {
  readonly id: string;
  /** 0-based order of creation; stable and numeric, for tie-breaks. */
  readonly index: number;
  readonly status: TrialStatus;
  readonly config: Config;
  readonly resources: Resources;
  /** Every result kept, oldest first (after a restore, re-done iterations replace the lost ones). */
  readonly history: readonly Result[];
  readonly lastResult: Result | undefined;
  readonly latestCheckpoint: CheckpointRef | undefined;
  /** True while a checkpoint save is in flight (a decision waits for it). */
  readonly savePending: boolean;
  /** Why the trial ended in ERROR (the last failure's reason). */
  readonly errorMessage: string | undefined;
  /** The stack of the error behind `errorMessage`, when user code threw one. */
  readonly errorStack?: string | undefined;
}
