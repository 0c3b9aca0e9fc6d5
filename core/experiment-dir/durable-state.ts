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

/** What experiment_state.json holds. The trials live in the journal it names. */
interface StateFile {
  format: typeof FORMAT_NAME;
  version: number;
  origin: ExperimentOrigin;
  /** The trial journal and how many of its bytes belong to this state (later bytes are from an interrupted write). */
  journal: { file: string; bytes: number };
  trialCount: number;
  /** The experiment ended (every trial done): a resume has nothing to run. */
  ended: boolean;
  /** `loop.save()` without its `trials` (they are in the journal). */
  loop: Record<string, Json>;
}

type SavedTrial = { id: string; index: number; status: string; history: unknown[]; config: unknown; latestCheckpoint: unknown; [k: string]: unknown };

/** What a trial's record is compared by, to append only the trials that changed since the last snapshot. */
interface Seen {
  key: string;
  config: unknown;
  last: unknown;
}

/** Fsync at most this often: a process kill loses nothing either way; this bounds what a power loss can roll back. */
const FSYNC_EVERY_MS = 1000;
/** Compact the journal when it is this many times the live records (plus the slack below). */
const COMPACT_RATIO = 4;
const COMPACT_SLACK_BYTES = 1 << 20;

/**
 * The experiment's durable state: a journal of trial records plus a small
 * snapshot, `experiment_state.json`, replaced atomically.
 *
 * Each `write(loop.save())` appends a line for every trial whose record changed
 * since the last write (a new trial, a result, a checkpoint, a status), then
 * replaces the snapshot: the searcher, scheduler, stoppers, retention and
 * counters, the trial count, and how many journal bytes belong to it. The
 * snapshot's rename is the commit point: a driver killed before it resumes from
 * the previous snapshot (the journal's extra bytes are ignored), never from half
 * of one. A write costs the changed trials plus the algorithms' state, not the
 * whole history, so snapshotting at every checkpoint and every trial end stays
 * cheap; the journal is rewritten (a new generation, then the snapshot points to
 * it) when it grows past a few times its live size.
 */
export class DurableState {
  private readonly seen = new Map<string, Seen>();
  /** The newest line of each trial, for compaction. */
  private readonly lines = new Map<string, string>();
  private liveBytes = 0;
  private generation = 1;
  private journalBytes = 0;
  private lastSync = -Infinity;
  private journalFile: string;
  /** Journal generations to delete after the next committed snapshot. */
  private readonly obsolete: string[] = [];

  constructor(
    readonly dir: string,
    private readonly origin: ExperimentOrigin,
    private readonly fs: StorageFs = nodeStorageFs,
    resumedFrom?: LoadedState,
  ) {
    if (resumedFrom) {
      this.generation = resumedFrom.generation + 1;
      this.obsolete.push(join(dir, journalName(resumedFrom.generation)));
    }
    this.journalFile = journalName(this.generation);
    const journal = join(dir, this.journalFile);
    writing(journal, () => {
      fs.mkdir(dir);
      fs.writeFile(journal, "");
    });
  }

  /** Commits `saved` (a `loop.save()`): appends the changed trials, then replaces the snapshot. */
  write(saved: Json, ended = false): void {
    const { trials, ...loop } = saved as unknown as { trials: SavedTrial[] } & Record<string, Json>;
    let appended = "";
    for (const trial of trials) {
      const last = trial.history[trial.history.length - 1];
      const key = fingerprint(trial);
      const before = this.seen.get(trial.id);
      if (before && before.key === key && before.config === trial.config && before.last === last) continue;
      this.seen.set(trial.id, { key, config: trial.config, last });
      const line = JSON.stringify(trial) + "\n";
      this.liveBytes += Buffer.byteLength(line) - Buffer.byteLength(this.lines.get(trial.id) ?? "");
      this.lines.set(trial.id, line);
      appended += line;
    }
    const now = performance.now();
    const sync = now - this.lastSync >= FSYNC_EVERY_MS;
    const journalPath = join(this.dir, this.journalFile);
    if (this.journalBytes > COMPACT_RATIO * this.liveBytes + COMPACT_SLACK_BYTES) {
      this.compact();
    } else if (appended !== "") {
      writing(journalPath, () => {
        this.fs.appendFile(journalPath, appended);
        if (sync) this.fs.fsync(journalPath);
      });
      this.journalBytes += Buffer.byteLength(appended);
    }
    if (sync) this.lastSync = now;
    const state: StateFile = {
      format: FORMAT_NAME,
      version: STATE_FORMAT_VERSION,
      origin: this.origin,
      journal: { file: this.journalFile, bytes: this.journalBytes },
      trialCount: trials.length,
      ended,
      loop,
    };
    replaceAtomically(this.fs, experimentFile(this.dir, EXPERIMENT_STATE_FILE), JSON.stringify(state), sync);
    // The snapshot now names the current generation: older ones are no longer read by a resume.
    for (const path of this.obsolete.splice(0)) writing(path, () => this.fs.remove(path));
  }

  /** A new journal generation with one line per trial; the snapshot written next points to it. */
  private compact(): void {
    const old = join(this.dir, this.journalFile);
    this.generation++;
    this.journalFile = journalName(this.generation);
    const path = join(this.dir, this.journalFile);
    const text = [...this.lines.values()].join("");
    writing(path, () => {
      this.fs.writeFile(path, text);
      this.fs.fsync(path);
    });
    this.journalBytes = Buffer.byteLength(text);
    // The old generation goes once the snapshot names the new one; until then a resume still reads it.
    this.obsolete.push(old);
  }
}

function journalName(generation: number): string {
  return `experiment_state.trials.${String(generation).padStart(6, "0")}.jsonl`;
}

function fingerprint(t: SavedTrial): string {
  const c = t.latestCheckpoint as { seq?: number; iteration?: number; handle?: unknown } | null;
  return `${t.status}|${t.history.length}|${String(t["historyAtCheckpoint"])}|${c ? `${c.seq}:${c.iteration}:${String(c.handle)}` : "-"}|${String(t["failures"])}|${String(t["preemptions"])}|${String(t["errorMessage"])}|${JSON.stringify(t["exploitWait"] ?? null)}`;
}

/** A saved experiment read back: `loop` is `loop.save()`'s shape, ready for `loop.restore`. */
export interface LoadedState {
  readonly origin: ExperimentOrigin;
  readonly loop: Json;
  readonly generation: number;
  readonly trialCount: number;
  readonly ended: boolean;
}

/** Whether `dir` holds a saved experiment state. */
export function hasSavedState(dir: string): boolean {
  return existsSync(experimentFile(dir, EXPERIMENT_STATE_FILE));
}

/**
 * Reads `dir`'s experiment_state.json and its journal. A state from another
 * format version, a torn or missing journal, or a trial missing from it is a
 * SavedStateError naming the file and what was found.
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
  const journalPath = join(dir, state.journal.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(journalPath);
  } catch (error) {
    throw new SavedStateError(journalPath, `the trial journal named by ${EXPERIMENT_STATE_FILE} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (bytes.length < state.journal.bytes) {
    throw new SavedStateError(journalPath, `holds ${bytes.length} bytes, but ${EXPERIMENT_STATE_FILE} committed ${state.journal.bytes}: the journal was truncated`);
  }
  const latest = new Map<number, SavedTrial>();
  const text = bytes.subarray(0, state.journal.bytes).toString("utf8");
  let lineNo = 0;
  for (const line of text.split("\n")) {
    lineNo++;
    if (line === "") continue;
    let trial: SavedTrial;
    try {
      trial = JSON.parse(line) as SavedTrial;
    } catch (error) {
      throw new SavedStateError(`${journalPath}:${lineNo}`, `a committed line is not JSON (${(error as Error).message})`);
    }
    latest.set(trial.index, trial);
  }
  const trials: SavedTrial[] = [];
  for (let index = 0; index < state.trialCount; index++) {
    const trial = latest.get(index);
    if (!trial) throw new SavedStateError(journalPath, `has no record of trial #${index} (the state counts ${state.trialCount} trials)`);
    trials.push(trial);
  }
  const generation = Number(/\.(\d+)\.jsonl$/.exec(state.journal.file)?.[1] ?? 1);
  return { origin: state.origin, loop: { ...state.loop, trials } as unknown as Json, generation, trialCount: state.trialCount, ended: state.ended === true };
}
