import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { ContractError, OptionError } from "../core/contracts/index.ts";
import type { RngState } from "../core/rng.ts";
import type { Trainable } from "./trainable.ts";

/** What a checkpoint directory holds besides the trainable's own files. */
export interface CheckpointMeta {
  readonly trialId: string;
  readonly iteration: number;
  readonly timeTotal: number;
  readonly rng: RngState;
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
      writeFileSync(join(tmp, META_FILE), JSON.stringify(meta));
      renameSync(tmp, dir);
    } catch (error) {
      rmSync(tmp, { recursive: true, force: true });
      throw error;
    }
    return dir;
  }

  async load(dir: string): Promise<{ state: S; meta: CheckpointMeta }> {
    const metaPath = join(dir, META_FILE);
    if (!existsSync(metaPath)) throw new Error(`checkpoint ${dir} is missing or incomplete (no ${META_FILE})`);
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as CheckpointMeta;
    const state = this.trainable.loadCheckpoint
      ? await this.trainable.loadCheckpoint(dir)
      : (JSON.parse(readFileSync(join(dir, STATE_FILE), "utf8")) as S);
    return { state, meta };
  }

  /** Deletes a checkpoint directory (retention); a missing one is fine. */
  discard(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
  }
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
