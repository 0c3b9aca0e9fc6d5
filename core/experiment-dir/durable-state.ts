import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SavedStateError } from "../errors/index.ts";
import type { Json } from "../contracts/index.ts";
import { EXPERIMENT_STATE_FILE, experimentFile } from "./layout.ts";
import { nodeStorageFs, replaceAtomically, writing, type StorageFs } from "./storage-fs.ts";

/** Format of experiment_state.json (and its trial journal). Bump it when either changes shape; keep reading the old ones. */
export const STATE_FORMAT_VERSION = 1;
const FORMAT_NAME = "tunelab-experiment-state";

/**
 * How to run the experiment again, so `tunelab resume DIR` can rebuild it. Only
 * an experiment file can be rebuilt: options given in code (a space of
 * functions, algorithm objects, an in-process trainable) live only in the
 * caller's program, which resumes with `tune({ ..., resume: true })`.
 */
export type ExperimentOrigin =
  | { readonly kind: "experiment-file"; readonly path: string; readonly text: string }
  | { readonly kind: "code"; readonly trainable: "object" | "module" | "command" | "objective" };

/** What experiment_state.json holds: which journal to replay (replaced atomically when the journal is compacted). */
interface StateFile {
  format: typeof FORMAT_NAME;
  version: number;
  origin: ExperimentOrigin;
  journal: string;
}

/**
 * One journal line: a commit. The trials whose records changed since the previous
 * commit, how many trials there are, the rest of `loop.save()` (searcher, scheduler,
 * stoppers, retention, counters), and whether the experiment ended.
 */
interface Commit {
  trials: SavedTrial[];
  trialCount: number;
  ended: boolean;
  loop: Record<string, Json>;
}

type SavedTrial = { id: string; index: number; status: string; history: unknown[]; config: unknown; latestCheckpoint: unknown; [k: string]: unknown };

/**
 * What a trial's record is compared by, to write only the trials that changed since
 * the last commit: its fields, by value or (objects the loop replaces rather than
 * mutates: config, checkpoint, exploit wait, last result) by identity. No allocation:
 * every commit looks at every trial.
 */
type Seen = readonly unknown[];

const SEEN_FIELDS = ["status", "historyAtCheckpoint", "failures", "preemptions", "errorMessage", "config", "latestCheckpoint", "exploitWait"] as const;

function unchanged(before: Seen | undefined, trial: SavedTrial, last: unknown): boolean {
  if (before === undefined || before[0] !== trial.history.length || before[1] !== last) return false;
  for (let i = 0; i < SEEN_FIELDS.length; i++) if (before[i + 2] !== trial[SEEN_FIELDS[i] as string]) return false;
  return true;
}

function seenOf(trial: SavedTrial, last: unknown): Seen {
  return [trial.history.length, last, ...SEEN_FIELDS.map((f) => trial[f])];
}

/** Fsync at most this often: a process kill loses nothing either way; this bounds what a power loss can roll back. */
const FSYNC_EVERY_MS = 1000;
/** Compact the journal when it is this many times the live records (plus the slack below). */
const COMPACT_RATIO = 4;
const COMPACT_SLACK_BYTES = 1 << 20;

/**
 * The experiment's durable state: `experiment_state.json` names a journal, and the
 * journal holds one line per commit.
 *
 * Each `write(loop.save())` appends one line: the trials whose records changed since
 * the last commit (a new trial, a result, a checkpoint, a status), the trial count,
 * and the rest of the loop's state (searcher, scheduler, stoppers, retention,
 * counters). A line is committed once it is whole (ends in a newline): a driver
 * killed mid-append leaves a torn last line, which a resume ignores, so it resumes
 * from the previous commit, never from half of one. One append per commit keeps
 * snapshotting at every checkpoint and every trial end cheap: it costs the changed
 * trials plus the algorithms' state, not the whole history. When the journal grows
 * past a few times its live size it is compacted into a new generation (one line
 * with every trial), and experiment_state.json is replaced atomically (write to a
 * temporary file, fsync, rename) to name it; the old one is deleted after.
 */
export class DurableState {
  private readonly seen = new Map<string, Seen>();
  /** The newest record of each trial, for compaction. */
  private readonly records = new Map<string, SavedTrial>();
  private liveBytes = 0;
  private readonly recordBytes = new Map<string, number>();
  private generation = 1;
  private journalBytes = 0;
  private lastSync = -Infinity;
  private journalFile: string;

  constructor(
    readonly dir: string,
    private readonly origin: ExperimentOrigin,
    private readonly fs: StorageFs = nodeStorageFs,
    resumedFrom?: LoadedState,
    /** Journal bytes allowed beyond COMPACT_RATIO x the live records before compacting (tests lower it). */
    private readonly compactSlackBytes = COMPACT_SLACK_BYTES,
  ) {
    const previous = resumedFrom ? join(dir, journalName(resumedFrom.generation)) : undefined;
    if (resumedFrom) this.generation = resumedFrom.generation + 1;
    this.journalFile = journalName(this.generation);
    const journal = join(dir, this.journalFile);
    writing(journal, () => {
      fs.mkdir(dir);
      fs.writeFile(journal, "");
    });
    // A resumed driver starts a new generation: its first commit holds every trial.
    if (previous === undefined) this.pointTo(this.journalFile);
    else this.pendingSwitch = previous;
  }

  /** Set after a resume or a compaction: the journal experiment_state.json must name once the next commit is in it; then this old one goes. */
  private pendingSwitch: string | undefined;

  /** Commits `saved` (a `loop.save()`): one journal line with the changed trials and the algorithms' state. */
  write(saved: Json, ended = false): void {
    const { trials, ...loop } = saved as unknown as { trials: SavedTrial[] } & Record<string, Json>;
    const changed: SavedTrial[] = [];
    for (const trial of trials) {
      const last = trial.history[trial.history.length - 1];
      if (unchanged(this.seen.get(trial.id), trial, last)) continue;
      this.seen.set(trial.id, seenOf(trial, last));
      this.records.set(trial.id, trial);
      changed.push(trial);
    }
    const now = performance.now();
    const sync = now - this.lastSync >= FSYNC_EVERY_MS;
    if (sync) this.lastSync = now;
    if (this.journalBytes > COMPACT_RATIO * this.liveBytes + this.compactSlackBytes) {
      this.compact(trials.length, ended, loop);
      return;
    }
    const line = JSON.stringify({ trials: changed, trialCount: trials.length, ended, loop } satisfies Commit) + "\n";
    const bytes = Buffer.byteLength(line);
    const path = join(this.dir, this.journalFile);
    writing(path, () => {
      this.fs.appendFile(path, line);
      if (sync || this.pendingSwitch !== undefined) this.fs.fsync(path);
    });
    this.journalBytes += bytes;
    // What the live records weigh, roughly: this line's share for the trials it carries.
    if (changed.length > 0) {
      const each = bytes / changed.length;
      for (const trial of changed) {
        this.liveBytes += each - (this.recordBytes.get(trial.id) ?? 0);
        this.recordBytes.set(trial.id, each);
      }
    }
    this.switchIfPending();
  }

  /** A new journal generation holding one commit with every trial; experiment_state.json then names it. */
  private compact(trialCount: number, ended: boolean, loop: Record<string, Json>): void {
    const old = join(this.dir, this.journalFile);
    this.generation++;
    this.journalFile = journalName(this.generation);
    const path = join(this.dir, this.journalFile);
    const line = JSON.stringify({ trials: [...this.records.values()], trialCount, ended, loop } satisfies Commit) + "\n";
    writing(path, () => {
      this.fs.writeFile(path, line);
      this.fs.fsync(path);
    });
    this.journalBytes = Buffer.byteLength(line);
    this.liveBytes = this.journalBytes;
    this.pendingSwitch = old;
    this.switchIfPending();
  }

  private switchIfPending(): void {
    const old = this.pendingSwitch;
    if (old === undefined) return;
    this.pointTo(this.journalFile);
    this.pendingSwitch = undefined;
    writing(old, () => this.fs.remove(old));
  }

  private pointTo(journal: string): void {
    const state: StateFile = { format: FORMAT_NAME, version: STATE_FORMAT_VERSION, origin: this.origin, journal };
    replaceAtomically(this.fs, experimentFile(this.dir, EXPERIMENT_STATE_FILE), JSON.stringify(state, null, 2) + "\n", true);
  }
}

function journalName(generation: number): string {
  return `experiment_state.trials.${String(generation).padStart(6, "0")}.jsonl`;
}


/** A saved experiment read back: `loop` is `loop.save()`'s shape, ready for `loop.restore`. */
export interface LoadedState {
  readonly origin: ExperimentOrigin;
  /** Undefined when nothing was committed yet (a driver killed before its first commit). */
  readonly loop: Json | undefined;
  readonly generation: number;
  readonly trialCount: number;
  readonly ended: boolean;
}

/** Whether `dir` holds a saved experiment state. */
export function hasSavedState(dir: string): boolean {
  return existsSync(experimentFile(dir, EXPERIMENT_STATE_FILE));
}

/**
 * Reads `dir`'s experiment_state.json and replays its journal. A state from another
 * format version, a missing journal, or a damaged commit before the last is a
 * SavedStateError naming the file and what was found; a torn last line (a driver
 * killed mid-append) is an uncommitted write and is ignored.
 */
export function readSavedState(dir: string): LoadedState {
  const path = experimentFile(dir, EXPERIMENT_STATE_FILE);
  let state: StateFile;
  try {
    state = JSON.parse(readFileSync(path, "utf8")) as StateFile;
  } catch (error) {
    throw new SavedStateError(path, `cannot be read as JSON (${(error as Error).message})`);
  }
  if (state === null || typeof state !== "object" || state.format !== FORMAT_NAME) {
    throw new SavedStateError(path, `is not a TuneLab experiment state (no "format": "${FORMAT_NAME}")`);
  }
  if (state.version !== STATE_FORMAT_VERSION) {
    throw new SavedStateError(
      path,
      `was written in state format version ${String(state.version)}; this TuneLab reads version ${STATE_FORMAT_VERSION}` +
        (typeof state.version === "number" && state.version > STATE_FORMAT_VERSION ? " (upgrade TuneLab to resume it)" : ""),
    );
  }
  const journalPath = join(dir, state.journal);
  let text: string;
  try {
    text = readFileSync(journalPath, "utf8");
  } catch (error) {
    throw new SavedStateError(journalPath, `the journal named by ${EXPERIMENT_STATE_FILE} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const lines = text.split("\n");
  // The part after the last newline is an append that never finished: not committed.
  lines.pop();
  const latest = new Map<number, SavedTrial>();
  let last: Commit | undefined;
  lines.forEach((line, k) => {
    let commit: Commit;
    try {
      commit = JSON.parse(line) as Commit;
    } catch (error) {
      throw new SavedStateError(`${journalPath}:${k + 1}`, `a committed line is not JSON (${(error as Error).message})`);
    }
    for (const trial of commit.trials) latest.set(trial.index, trial);
    last = commit;
  });
  const generation = Number(/\.(\d+)\.jsonl$/.exec(state.journal)?.[1] ?? 1);
  if (last === undefined) return { origin: state.origin, loop: undefined, generation, trialCount: 0, ended: false };
  const trials: SavedTrial[] = [];
  for (let index = 0; index < last.trialCount; index++) {
    const trial = latest.get(index);
    if (!trial) throw new SavedStateError(journalPath, `has no record of trial #${index} (the last commit counts ${last.trialCount} trials)`);
    trials.push(trial);
  }
  return { origin: state.origin, loop: { ...last.loop, trials } as unknown as Json, generation, trialCount: last.trialCount, ended: last.ended };
}
