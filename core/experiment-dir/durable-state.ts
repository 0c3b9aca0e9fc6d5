import { existsSync, readFileSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { SavedStateError } from "../errors/index.ts";
import type { Json, Result } from "../contracts/index.ts";
import { saveTrial, type SavedTrial } from "../experiment-state.ts";
import type { Trial } from "../trial.ts";
import { EXPERIMENT_STATE_FILE, experimentFile } from "./layout.ts";
import { Appenders, nodeStorageFs, replaceAtomically, writing, type StorageFs } from "./storage-fs.ts";

/**
 * Format of experiment_state.json and its journal. Version 2: a trial's record in a
 * commit may hold only the results it had not written yet (`historyFrom`). Version 1
 * journals (every record whole) are still read.
 */
export const STATE_FORMAT_VERSION = 2;
const READABLE_FORMATS = [1, 2];
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
  trials: JournalTrial[];
  trialCount: number;
  ended: boolean;
  loop: Record<string, Json>;
}

/**
 * A trial's record in a commit: whole, or with `historyFrom` set, its history from
 * that position on (the results before it are those of its previous record: a
 * restart that dropped results to re-do them shows as a smaller `historyFrom`).
 */
type JournalTrial = SavedTrial & { historyFrom?: number };

/** Fsync at most this often: a process kill loses nothing either way; this bounds what a power loss can roll back. */
const FSYNC_EVERY_MS = 1000;
/** Compact the journal when it is this many times the live records (plus the slack below). */
const COMPACT_RATIO = 4;
const COMPACT_SLACK_BYTES = 1 << 20;

/**
 * What a trial's record was when last written: the fields a change shows in (by
 * value, or by identity for objects the loop replaces rather than mutates: config,
 * resources, checkpoints, the last result) and the results written, by identity.
 * Compared without allocating: every commit looks at every trial not yet ended.
 */
class Written {
  readonly seen: unknown[] = new Array<unknown>(13).fill(undefined);
  readonly history: Result[] = [];
  headBytes = 0;
  historyBytes = 0;

  /** Whether `trial` differs from what was written; if so, remembers it as written. */
  changed(trial: Trial): boolean {
    const s = this.seen;
    // A new record's fields are all undefined here: its status differs.
    const changes =
      note(s, 0, trial.status) +
      note(s, 1, trial.phase) +
      note(s, 2, trial.latestCheckpoint) +
      note(s, 3, trial.historyAtCheckpoint) +
      note(s, 4, trial.restoreFrom) +
      note(s, 5, trial.saveRequested) +
      note(s, 6, trial.history.length) +
      note(s, 7, trial.lastResult) +
      note(s, 8, trial.failures) +
      note(s, 9, trial.preemptions) +
      note(s, 10, trial.errorMessage) +
      note(s, 11, trial.config) +
      note(s, 12, trial.resources);
    return changes > 0;
  }

  /** Where `history` parts from what was written (history only grows, or is cut back to re-do results). */
  commonPrefix(history: readonly Result[]): number {
    let k = Math.min(this.history.length, history.length);
    while (k > 0 && this.history[k - 1] !== history[k - 1]) k--;
    return k;
  }

  wrote(history: readonly Result[], from: number): void {
    this.history.length = from;
    for (let i = from; i < history.length; i++) this.history.push(history[i] as Result);
  }
}

/** Sets `seen[i]` to `value`; 1 when that changed it. */
function note(seen: unknown[], i: number, value: unknown): number {
  if (seen[i] === value) return 0;
  seen[i] = value;
  return 1;
}

/**
 * The experiment's durable state: `experiment_state.json` names a journal, and the
 * journal holds one line per commit.
 *
 * Each `commit` appends one line: the trials whose records changed since the last
 * commit (a new trial, a result, a checkpoint, a status), each with only the results
 * not written before, the trial count, and the rest of the loop's state (searcher,
 * scheduler, stoppers, retention, counters). A line is committed once it is whole
 * (ends in a newline): a driver killed mid-append leaves a torn last line, which a
 * resume ignores, so it resumes from the previous commit, never from half of one.
 * So a commit costs the trials that changed and the algorithms' state, not the
 * experiment's whole history, and looks only at trials that have not ended. When
 * the journal grows past a few times its live size it is compacted into a new
 * generation (one line with every trial whole), and experiment_state.json is
 * replaced atomically (write to a temporary file, fsync, rename) to name it; the
 * old one is deleted after.
 */
export class DurableState {
  /** Per trial index: what was last written of it. */
  private readonly written: Written[] = [];
  /** Indices of the trials that can still change (not yet written as ended). */
  private open: number[] = [];
  private liveBytes = 0;
  private generation = 1;
  private journalBytes = 0;
  private lastSync = -Infinity;
  private journalFile: string;
  private readonly appenders: Appenders;

  constructor(
    readonly dir: string,
    private readonly origin: ExperimentOrigin,
    private readonly fs: StorageFs = nodeStorageFs,
    resumedFrom?: LoadedState,
    /** Journal bytes allowed beyond COMPACT_RATIO x the live records before compacting (tests lower it). */
    private readonly compactSlackBytes = COMPACT_SLACK_BYTES,
  ) {
    this.appenders = new Appenders(fs);
    if (resumedFrom && resumedFrom.formatVersion === STATE_FORMAT_VERSION) {
      // A resumed driver goes on appending to the journal, cut back to its last whole commit (a torn line is no commit).
      this.generation = resumedFrom.generation;
      this.journalFile = journalName(this.generation);
      const journal = join(dir, this.journalFile);
      writing(journal, () => truncateSync(journal, resumedFrom.committedBytes));
      this.journalBytes = resumedFrom.committedBytes;
      // Unknown without reading every record again: taken as all live, so the next compaction waits for the journal to grow.
      this.liveBytes = resumedFrom.committedBytes;
      this.appending = true;
      return;
    }
    const previous = resumedFrom ? join(dir, journalName(resumedFrom.generation)) : undefined;
    if (resumedFrom) this.generation = resumedFrom.generation + 1;
    this.journalFile = journalName(this.generation);
    const journal = join(dir, this.journalFile);
    writing(journal, () => {
      fs.mkdir(dir);
      fs.writeFile(journal, "");
    });
    // A state of an older format resumes into a new generation: its first commit holds every trial whole.
    if (previous === undefined) this.pointTo(this.journalFile);
    else this.pendingSwitch = previous;
  }

  /** Resumed in the same journal: `adopt` may take the restored trials as written. */
  private appending = false;

  /**
   * After the loop restored the state this journal holds (resuming in it): the restored
   * trials' results are written already, and ended trials will not change, so the first
   * commit carries only the heads of the trials still open, not every result again.
   */
  adopt(trials: readonly Trial[]): void {
    if (!this.appending || this.written.length > 0) return;
    for (const trial of trials) {
      const written = new Written();
      written.wrote(trial.history, 0);
      this.written.push(written);
      if (trial.status === "TERMINATED" || trial.status === "ERROR") written.changed(trial);
      else this.open.push(trial.index);
    }
  }

  /** Set after a resume or a compaction: the journal experiment_state.json must name once the next commit is in it; then this old one goes. */
  private pendingSwitch: string | undefined;

  /**
   * Commits the experiment as it is now: `trials`, the loop's own trial objects in
   * index order, and `rest`, `loop.saveWithoutTrials()`. One journal line.
   */
  commit(trials: readonly Trial[], rest: Json, ended = false): void {
    const { trials: _none, ...loop } = rest as unknown as { trials?: unknown } & Record<string, Json>;
    for (let index = this.written.length; index < trials.length; index++) {
      this.written.push(new Written());
      this.open.push(index);
    }
    const parts: string[] = [];
    let still = 0;
    for (const index of this.open) {
      const trial = trials[index] as Trial;
      const written = this.written[index] as Written;
      if (written.changed(trial)) parts.push(this.record(trial, written));
      if (trial.status !== "TERMINATED" && trial.status !== "ERROR") this.open[still++] = index;
    }
    this.open.length = still;
    const now = performance.now();
    const sync = now - this.lastSync >= FSYNC_EVERY_MS;
    if (sync) this.lastSync = now;
    if (this.journalBytes > COMPACT_RATIO * this.liveBytes + this.compactSlackBytes) {
      this.compact(trials, ended, loop);
      return;
    }
    const line = `{"trials":[${parts.join(",")}],"trialCount":${trials.length},"ended":${ended},"loop":${JSON.stringify(loop)}}\n`;
    const path = join(this.dir, this.journalFile);
    writing(path, () => {
      this.appenders.append(path, line);
      // Before experiment_state.json names this journal, its first commit must be on the device; else in the background.
      if (this.pendingSwitch !== undefined) this.appenders.fsync(path);
      else if (sync) this.appenders.fsyncInBackground(path);
    });
    this.journalBytes += Buffer.byteLength(line);
    this.switchIfPending();
  }

  /** `trial`'s record with the results not written before; remembers them as written. */
  private record(trial: Trial, written: Written): string {
    const from = written.commonPrefix(trial.history);
    const { history, ...head } = saveTrial(trial, from) as JournalTrial;
    if (from > 0) head.historyFrom = from;
    written.wrote(trial.history, from);
    const headJson = JSON.stringify(head);
    const historyJson = JSON.stringify(history);
    // The live records, roughly: the trial's newest head and every result it holds (a delta adds its results).
    const before = written.headBytes + written.historyBytes;
    written.headBytes = headJson.length;
    written.historyBytes = (from > 0 ? written.historyBytes : 0) + historyJson.length;
    this.liveBytes += written.headBytes + written.historyBytes - before;
    return `${headJson.slice(0, -1)},"history":${historyJson}}`;
  }

  /** A new journal generation holding one commit with every trial whole; experiment_state.json then names it. */
  private compact(trials: readonly Trial[], ended: boolean, loop: Record<string, Json>): void {
    const old = join(this.dir, this.journalFile);
    this.generation++;
    this.journalFile = journalName(this.generation);
    const path = join(this.dir, this.journalFile);
    const parts = trials.map((trial, index) => {
      const written = this.written[index] as Written;
      written.history.length = 0;
      return this.record(trial, written);
    });
    const line = `{"trials":[${parts.join(",")}],"trialCount":${trials.length},"ended":${ended},"loop":${JSON.stringify(loop)}}\n`;
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
    this.appenders.forget(old);
    writing(old, () => this.fs.remove(old));
  }

  private pointTo(journal: string): void {
    const state: StateFile = { format: FORMAT_NAME, version: STATE_FORMAT_VERSION, origin: this.origin, journal };
    replaceAtomically(this.fs, experimentFile(this.dir, EXPERIMENT_STATE_FILE), JSON.stringify(state, null, 2) + "\n", true);
  }

  /** Closes the journal's file (the run ended, or failed). */
  close(): void {
    this.appenders.close();
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
  /** The format version of experiment_state.json (STATE_FORMAT_VERSION or an older readable one). */
  readonly formatVersion: number;
  /** Bytes of the journal up to its last whole commit (a torn last line after them is no commit). */
  readonly committedBytes: number;
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
  if (!READABLE_FORMATS.includes(state.version)) {
    throw new SavedStateError(
      path,
      `was written in state format version ${String(state.version)}; this TuneLab reads version ${STATE_FORMAT_VERSION}` +
        (typeof state.version === "number" && state.version > STATE_FORMAT_VERSION ? " (upgrade TuneLab to resume it)" : ""),
    );
  }
  const journalPath = join(dir, state.journal);
  let text: string;
  let committedBytes: number;
  try {
    const bytes = readFileSync(journalPath);
    committedBytes = bytes.lastIndexOf(0x0a) + 1;
    text = bytes.toString("utf8", 0, committedBytes);
  } catch (error) {
    throw new SavedStateError(journalPath, `the journal named by ${EXPERIMENT_STATE_FILE} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const latest = new Map<number, JournalTrial>();
  let last: Commit | undefined;
  // The part after the last newline is an append that never finished: not committed.
  for (let start = 0, k = 0; ; k++) {
    const end = text.indexOf("\n", start);
    if (end < 0) break;
    let commit: Commit;
    try {
      commit = JSON.parse(text.slice(start, end)) as Commit;
    } catch (error) {
      throw new SavedStateError(`${journalPath}:${k + 1}`, `a committed line is not JSON (${(error as Error).message})`);
    }
    for (const trial of commit.trials) latest.set(trial.index, withEarlierResults(trial, latest.get(trial.index), journalPath, k + 1));
    last = commit;
    start = end + 1;
  }
  const generation = Number(/\.(\d+)\.jsonl$/.exec(state.journal)?.[1] ?? 1);
  const formatVersion = state.version;
  if (last === undefined) return { origin: state.origin, loop: undefined, generation, formatVersion, committedBytes, trialCount: 0, ended: false };
  const trials: JournalTrial[] = [];
  for (let index = 0; index < last.trialCount; index++) {
    const trial = latest.get(index);
      if (!trial) throw new SavedStateError(journalPath, `has no record of trial #${index} (the last commit counts ${last.trialCount} trials)`);
    delete trial.historyFrom;
    trials.push(trial);
  }
  return { origin: state.origin, loop: { ...last.loop, trials } as unknown as Json, generation, formatVersion, committedBytes, trialCount: last.trialCount, ended: last.ended };
}

/** A delta record made whole: the results before its `historyFrom` are those of the trial's previous record (taken over, not copied). */
function withEarlierResults(record: JournalTrial, previous: JournalTrial | undefined, journal: string, line: number): JournalTrial {
  const from = record.historyFrom;
  if (from === undefined) return record;
  if (previous === undefined || previous.history.length < from) {
    throw new SavedStateError(`${journal}:${line}`, `trial #${record.index} continues from result ${from}, but its earlier records hold ${previous?.history.length ?? 0}`);
  }
  const history = previous.history as Result[];
  history.length = from;
  for (const result of record.history) history.push(result);
  record.history = history;
  return record;
}
