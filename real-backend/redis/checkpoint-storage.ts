import { rmSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Where checkpoints live so that any worker can restore any trial's checkpoint
 * (a trial moves to another worker when its worker is lost, and a PBT clone
 * restores a donor that ran elsewhere). A checkpoint's handle is what the loop
 * passes back in `start(trial, restoreFrom)` and `restore`.
 *
 * Implemented: `SharedPathStorage`, a directory every machine mounts at the same
 * path (NFS, a cluster file system, a bind mount in tests).
 *
 * Not implemented: an S3-compatible object store. It fits this interface as
 * `kind: "object-store"`, with handles `s3://bucket/prefix/<trial>/checkpoint_N/`,
 * but needs two worker-side steps the worker does not have: upload the directory
 * the actor wrote (and only then reply `checkpointed`, so an interrupted upload is
 * never referenced) and download it into a local temporary directory before a
 * `start` with `restoreFrom` or a `restore`. Its limits, when built: a restore costs
 * a download of the whole checkpoint on every move; listing for the "newest usable
 * earlier checkpoint" fallback is a LIST call; no cloud is reachable from CI, so it
 * could only be tested against a local S3-compatible server.
 */
export interface CheckpointStorage {
  readonly kind: "shared-path" | "object-store";
  /** The directory (shared-path) or URL prefix (object-store) workers are told to write checkpoints and per-trial logs under. */
  readonly location: string;
  /** The loop will never restore this checkpoint again: free it. */
  discard(handle: unknown): void;
}

/** Checkpoints in a directory every machine reaches at the same path. */
export class SharedPathStorage implements CheckpointStorage {
  readonly kind = "shared-path" as const;
  readonly location: string;

  constructor(dir: string) {
    this.location = resolve(dir);
  }

  discard(handle: unknown): void {
    if (typeof handle === "string" && handle.startsWith(this.location)) rmSync(handle, { recursive: true, force: true });
  }
}
