import { existsSync, statSync } from "node:fs";
import { OptionError, SavedStateError } from "../contracts/index.ts";
import type { CheckpointRef, ExecutorListener, Json, Result } from "../contracts/index.ts";
import type { TuneCallback } from "../callbacks/index.ts";
import {
  DurableState,
  EXPERIMENT_META_FILE,
  ExperimentLogger,
  EXPERIMENT_STATE_FILE,
  experimentFile,
  hasSavedState,
  readSavedState,
  type ExperimentOrigin,
  type LoadedState,
  type StorageFs,
} from "../experiment-dir/index.ts";
import type { Trial } from "../trial.ts";
import type { TuneLoop } from "../tune-loop.ts";

/** How often a snapshot is written: at each durable event (real runs), or at most once a wall second (simulations, whose events come far faster and replay exactly). */
export type SnapshotPolicy = { kind: "every-event" } | { kind: "coalesced"; everyMs: number };

/**
 * Opens the experiment directory for a run: refuses a directory that already
 * holds an experiment unless resuming, and reads the saved state to resume from.
 * Returns undefined when there is nothing to resume (a fresh start, or a driver
 * killed before its first snapshot).
 */
export function openExperimentDir(dir: string, resume: boolean): LoadedState | undefined {
  let isFile = false;
  try {
    isFile = statSync(dir).isFile();
  } catch {
    // Missing: created at the first write (whose error names the path if it cannot be).
  }
  if (isFile) throw new OptionError("storagePath", `"${dir}" is a file, not a directory`);
  const saved = hasSavedState(dir);
  if (!resume) {
    if (saved || existsSync(experimentFile(dir, EXPERIMENT_META_FILE))) {
      throw new OptionError(
        "storagePath",
        `"${dir}" already holds an experiment: resume it (tune({ ..., resume: true }), tunelab run FILE --resume, or tunelab resume ${dir}) or pick another name or storagePath`,
      );
    }
    return undefined;
  }
  if (!saved) return undefined;
  const loaded = readSavedState(dir);
  return loaded.loop === undefined ? undefined : loaded;
}

/** Restores `loop` from a directory's saved state; a loop state of another version names the one found and the one needed. */
export function restoreLoop(loop: TuneLoop, loaded: LoadedState, dir: string): void {
  const found = (loaded.loop as { version?: unknown } | undefined)?.version;
  const needed = (loop.save() as { version?: unknown }).version;
  if (found !== needed) {
    throw new SavedStateError(
      experimentFile(dir, EXPERIMENT_STATE_FILE),
      `holds a loop state of version ${String(found)}; this TuneLab reads version ${String(needed)}`,
    );
  }
  loop.restore(loaded.loop as Json);
}

/**
 * The directory's side of a run: marks the events after which the experiment
 * must be on disk (a checkpoint, a trial's end, a decision, an exploit, the end)
 * and, after the loop has fully handled the event, writes it: first the loggers'
 * lines of the event (results, one write per file), then a commit of the state.
 * Between loop steps the state is consistent (the executor is step-synchronous),
 * so a resume from any commit replays the same decisions; and no result the loop
 * has handled is only in memory when the executor's next event is handled.
 */
export class ExperimentDirSession implements TuneCallback {
  readonly name = "experiment-state";
  private dirty = true;
  private lastWrite = -Infinity;
  private readonly state: DurableState;

  constructor(
    readonly dir: string,
    origin: ExperimentOrigin,
    private readonly policy: SnapshotPolicy,
    /** The built-in loggers, when the run has them: their lines go out before each commit, and their first failed write ends the run. */
    private readonly logger: ExperimentLogger | undefined,
    fs?: StorageFs,
    resumedFrom?: LoadedState,
  ) {
    this.state = new DurableState(dir, origin, fs, resumedFrom);
  }

  onCheckpoint(): void {
    this.dirty = true;
  }
  onTrialComplete(): void {
    this.dirty = true;
  }
  onTrialError(): void {
    this.dirty = true;
  }
  onDecision(): void {
    this.dirty = true;
  }
  onExploit(): void {
    this.dirty = true;
  }
  onExperimentEnd(): void {
    this.dirty = true;
    this.force = true;
    this.ended = true;
  }
  private force = false;
  private ended = false;

  /** After an event (or `begin`): the loggers' lines go out; a failed write ends the run; a due snapshot is committed. */
  afterEvent(loop: TuneLoop): void {
    if (this.logger) {
      try {
        this.logger.endOfEvent();
      } catch {
        // Remembered as the logger's failure, thrown below.
      }
      if (this.logger.failure) throw this.logger.failure;
    }
    if (!this.dirty) return;
    const now = performance.now();
    if (this.policy.kind === "coalesced" && !this.force && now - this.lastWrite < this.policy.everyMs) return;
    this.state.commit(loop.trials as readonly Trial[], loop.saveWithoutTrials(), this.ended);
    this.dirty = false;
    this.force = false;
    this.lastWrite = now;
  }

  /** After the loop restored the state resumed from: the journal takes its trials as written. */
  adoptRestored(loop: TuneLoop): void {
    this.state.adopt(loop.trials as readonly Trial[]);
  }

  /** Closes the files kept open (the run ended or failed). */
  close(): void {
    this.logger?.close();
    this.state.close();
  }

  /** The loop as the executor's listener, with a snapshot after each event it handles. */
  listener(loop: TuneLoop): ExecutorListener {
    const after = () => this.afterEvent(loop);
    return {
      onResult: (result: Result) => {
        loop.onResult(result);
        after();
      },
      onCheckpointed: (checkpoint: CheckpointRef) => {
        loop.onCheckpointed(checkpoint);
        after();
      },
      onFailed: (trialId: string, recoverable: boolean, reason: string, stack?: string) => {
        loop.onFailed(trialId, recoverable, reason, stack);
        after();
      },
      onNodeAdded: (nodeId: string) => {
        loop.onNodeAdded(nodeId);
        after();
      },
      onNodeLost: (nodeId: string) => {
        loop.onNodeLost(nodeId);
        after();
      },
      onClockTick: () => {
        loop.onClockTick();
        after();
      },
      // Called from inside the executor's start (the loop is mid-step): no snapshot here, the step's own event writes one.
      onCheckpointUnusable: (trialId: string, checkpoint: CheckpointRef, fallback: CheckpointRef | undefined, reason: string, live?: boolean) => {
        this.dirty = true;
        return loop.onCheckpointUnusable(trialId, checkpoint, fallback, reason, live);
      },
      onPreemptionNotice: (nodeId: string, trialIds: readonly string[], secondsLeft: number) => {
        loop.onPreemptionNotice(nodeId, trialIds, secondsLeft);
        after();
      },
    };
  }
}

export type { Json };
