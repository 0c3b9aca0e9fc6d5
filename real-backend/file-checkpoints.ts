import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { ContractError, OptionError } from "../core/contracts/index.ts";
import type { CheckpointRef, ExecutorListener } from "../core/contracts/index.ts";
import type { RngState } from "../core/rng.ts";
import type { Trainable } from "./trainable.ts";

/** What a checkpoint directory holds besides the trainable's own files. */
export interface CheckpointMeta {
  readonly trialId: string;
  readonly iteration: number;
  readonly timeTotal: number;
  readonly rng: RngState;
  /**
   * Every file the checkpoint holds (relative path → bytes), recorded when it was
   * taken: a truncated or missing file shows before the trainable reads garbage.
   * Absent in checkpoints written before it existed.
   */
  readonly files?: Readonly<Record<string, number>>;
}

/** Written last: a directory without it is an interrupted save and is never loaded. */
export const META_FILE = "tunelab_checkpoint.json";
/** The default state file, for trainables without their own save/load. */
export const STATE_FILE = "state.json";

/**
 * Checkpoints as directories under `root`: `root/<trial>/checkpoint_<iteration>[_<n>]`.
 * The trainable writes its state into a fresh directory (its `saveCheckpoint`,
 * or `state.json` when its state is plain JSON); the directory gets its final
 * name only when complete (write to `.tmp`, then rename), so a crash mid-save
 * leaves no checkpoint that looks whole. The path is the checkpoint's handle:
 * plain JSON, so an experiment state that names it resumes from disk.
 */
export class FileCheckpointStore<S = unknown> {
  constructor(
    readonly root: string,
    private readonly trainable: Trainable<S>,
  ) {
    if ((trainable.saveCheckpoint === undefined) !== (trainable.loadCheckpoint === undefined)) {
      throw new OptionError(
        trainable.saveCheckpoint === undefined ? "trainable.saveCheckpoint" : "trainable.loadCheckpoint",
        "saveCheckpoint and loadCheckpoint go together: give both or neither",
      );
    }
    mkdirSync(root, { recursive: true });
  }

  /** Saves `state` and returns the checkpoint's directory. */
  async save(state: S, meta: CheckpointMeta): Promise<string> {
    const trialDir = join(this.root, meta.trialId);
    mkdirSync(trialDir, { recursive: true });
    const base = `checkpoint_${String(meta.iteration).padStart(6, "0")}`;
    let dir = join(trialDir, base);
    // A re-done iteration (after a restore, or a resumed driver) saves beside the earlier one.
    for (let n = 2; existsSync(dir) || existsSync(`${dir}.tmp`); n++) dir = join(trialDir, `${base}_${n}`);
    const tmp = `${dir}.tmp`;
    mkdirSync(tmp);
    try {
      if (this.trainable.saveCheckpoint) {
        await this.trainable.saveCheckpoint(state, tmp);
      } else {
        writeFileSync(join(tmp, STATE_FILE), plainJson(state, this.trainable.name));
      }
      writeFileSync(join(tmp, META_FILE), JSON.stringify({ ...meta, files: fileSizes(tmp) }));
      renameSync(tmp, dir);
    } catch (error) {
      rmSync(tmp, { recursive: true, force: true });
      throw error;
    }
    return dir;
  }

  /** Loads a checkpoint for `trialId`; an unusable one is a CheckpointUnusable naming the trial and the path. */
  async load(dir: string, trialId: string): Promise<{ state: S; meta: CheckpointMeta }> {
    const meta = readCheckpointMeta(dir, trialId);
    if (this.trainable.loadCheckpoint) return { state: await this.trainable.loadCheckpoint(dir), meta };
    try {
      return { state: JSON.parse(readFileSync(join(dir, STATE_FILE), "utf8")) as S, meta };
    } catch (error) {
      throw new CheckpointUnusable(trialId, dir, `its ${STATE_FILE} cannot be read as JSON (${(error as Error).message})`);
    }
  }

  /** Deletes a checkpoint directory (retention); a missing one is fine. */
  discard(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A checkpoint that cannot be restored: missing, interrupted, truncated or not what it claims. */
export class CheckpointUnusable extends Error {
  constructor(
    readonly trialId: string,
    readonly dir: string,
    readonly problem: string,
  ) {
    super(`trial ${trialId}: checkpoint ${dir} is unusable: ${problem}`);
  }
}

/**
 * Reads and checks a checkpoint directory before anything restores from it: it
 * exists, its completion marker is there and parses, and every file it recorded
 * has the recorded size. Throws CheckpointUnusable naming the trial and the path.
 */
export function readCheckpointMeta(dir: string, trialId: string): CheckpointMeta {
  if (!existsSync(dir)) throw new CheckpointUnusable(trialId, dir, "the directory does not exist (deleted?)");
  const metaPath = join(dir, META_FILE);
  if (!existsSync(metaPath)) throw new CheckpointUnusable(trialId, dir, `its completion marker ${META_FILE} is missing (an interrupted save?)`);
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(readFileSync(metaPath, "utf8")) as CheckpointMeta;
  } catch (error) {
    throw new CheckpointUnusable(trialId, dir, `its ${META_FILE} is not JSON (${(error as Error).message})`);
  }
  if (typeof meta !== "object" || meta === null || typeof meta.iteration !== "number") {
    throw new CheckpointUnusable(trialId, dir, `its ${META_FILE} has no iteration`);
  }
  for (const [file, size] of Object.entries(meta.files ?? {})) {
    let actual: number;
    try {
      actual = statSync(join(dir, file)).size;
    } catch {
      throw new CheckpointUnusable(trialId, dir, `its file ${file} is missing`);
    }
    if (actual !== size) throw new CheckpointUnusable(trialId, dir, `its file ${file} holds ${actual} bytes, ${size} when saved (truncated?)`);
  }
  return meta;
}

/**
 * The newest usable checkpoint `trialId` saved in `trialDir` before `iteration`
 * (its own only: their iterations line up with its history), or undefined.
 */
export function previousCheckpoint(trialDir: string, trialId: string, iteration: number): { dir: string; meta: CheckpointMeta } | undefined {
  let best: { dir: string; meta: CheckpointMeta } | undefined;
  let names: string[];
  try {
    names = readdirSync(trialDir);
  } catch {
    return undefined;
  }
  for (const name of names.filter((n) => /^checkpoint_\d+(_\d+)?$/.test(n)).sort()) {
    const dir = join(trialDir, name);
    let meta: CheckpointMeta;
    try {
      meta = readCheckpointMeta(dir, trialId);
    } catch {
      continue;
    }
    if (meta.trialId !== trialId || meta.iteration >= iteration) continue;
    // Sorted by name: a later name at the same iteration is a later save (a re-do).
    if (!best || meta.iteration >= best.meta.iteration) best = { dir, meta };
  }
  return best;
}

/** A checkpoint directory found usable: what to restore, and its completion record. */
export interface UsableCheckpoint {
  readonly ref: CheckpointRef;
  readonly dir: string;
  readonly meta: CheckpointMeta;
}

/**
 * The checkpoint `trialId` restores instead of `checkpoint` (its own latest, or a PBT
 * donor's), checked before anything loads it; the one place both executors decide it.
 *
 * Usable: itself. Unusable (deleted, interrupted, truncated): the loop is offered the
 * owner's newest usable earlier checkpoint under `root` (`<root>/<owner>/checkpoint_*`)
 * and answers (ExecutorListener.onCheckpointUnusable); a warning naming the path says
 * what happens. Returns what to restore, or undefined: for the trial's own checkpoint,
 * start from scratch (the loop counted a failure); for a donor's with none left, the
 * exploit is skipped (`live`: the trial goes on with the weights it holds, the loop
 * gave it back its own config) or, for a trial not running, it starts from scratch.
 * Throws the CheckpointUnusable when the loop answers "fail" (no failures left) or has
 * no say (an in-memory checkpoint, a listener without the hook).
 */
export function usableCheckpoint(
  root: string,
  trialId: string,
  checkpoint: CheckpointRef,
  listener: ExecutorListener | undefined,
  live: boolean,
): UsableCheckpoint | undefined {
  const dir = checkpoint.handle;
  if (typeof dir !== "string") throw new ContractError("checkpoint", `checkpoint of ${checkpoint.trialId} is not a directory`);
  try {
    return { ref: checkpoint, dir, meta: readCheckpointMeta(dir, trialId) };
  } catch (error) {
    if (!(error instanceof CheckpointUnusable) || !listener?.onCheckpointUnusable) throw error;
    const owner = checkpoint.trialId;
    const previous = previousCheckpoint(join(root, owner), owner, checkpoint.iteration);
    const fallback: CheckpointRef | undefined = previous && { trialId: owner, iteration: previous.meta.iteration, timeTotal: previous.meta.timeTotal, handle: previous.dir };
    const answer = listener.onCheckpointUnusable(trialId, checkpoint, fallback, error.message, live);
    if (answer === "fail") throw error;
    const donor = owner !== trialId;
    const instead =
      answer !== undefined
        ? donor
          ? `restoring ${owner}'s previous checkpoint ${String(answer.handle)} instead`
          : `restarting from the previous checkpoint ${String(answer.handle)}`
        : donor && live
          ? `the exploit of ${owner} is skipped: the trial goes on with its own weights and config`
          : "restarting from scratch";
    process.stderr.write(`tunelab: warning: ${error.message}; ${instead}\n`);
    if (answer === undefined) return undefined;
    const answerDir = answer.handle as string;
    return { ref: answer, dir: answerDir, meta: readCheckpointMeta(answerDir, trialId) };
  }
}

/** Sizes of the files under `dir`, by path relative to it. */
function fileSizes(dir: string, prefix = ""): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(out, fileSizes(dir, rel));
    else if (entry.isFile()) out[rel] = statSync(join(dir, rel)).size;
  }
  return out;
}

/** JSON of `state`, refusing a state that JSON would change (a Map, a typed array, a class instance, undefined). */
function plainJson(state: unknown, trainable: string): string {
  const json = JSON.stringify(state);
  if (json === undefined || !isDeepStrictEqual(JSON.parse(json), state)) {
    throw new ContractError(
      `trainable ${trainable}`,
      `its state is not plain JSON, so it cannot be saved as ${STATE_FILE}; give the trainable saveCheckpoint(state, dir) and loadCheckpoint(dir)`,
    );
  }
  return json;
}
