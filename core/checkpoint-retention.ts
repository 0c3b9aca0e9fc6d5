import { OptionError } from "./contracts/index.ts";
import type { CheckpointRef, Json } from "./contracts/index.ts";

/** What the retention policy needs of a trial: the checkpoints it may still restore. */
export interface CheckpointHolder {
  readonly latestCheckpoint: CheckpointRef | undefined;
  readonly restoreFrom: CheckpointRef | undefined;
}

/**
 * Ray Tune's `num_to_keep`: each trial keeps at most `keep` of the checkpoints
 * it saved, the newest. Unlike Ray, a checkpoint some trial may still restore
 * is pinned, whatever its age: the latest checkpoint of a trial that cloned it
 * (PBT's exploit: it stays pinned until the clone has saved weights of its
 * own), and the checkpoint a paused or failed trial will start from. So an
 * exploit never restores deleted or wrong weights. Pinned checkpoints are
 * collected at a later save, once nothing refers to them.
 *
 * Checkpoints are compared by the loop's save number (`seq`) rather than by
 * object, so references survive an experiment save and resume.
 */
export class CheckpointRetention {
  /** Per trial, the checkpoints it saved and still keeps, oldest first. */
  private readonly owned = new Map<string, CheckpointRef[]>();

  constructor(readonly keep: number | undefined) {
    if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) {
      throw new OptionError("keepCheckpoints", `must be an integer >= 1 (or left out to keep every checkpoint), got ${keep}`);
    }
  }

  /** A trial saved `checkpoint`. */
  record(checkpoint: CheckpointRef): void {
    if (this.keep === undefined) return;
    const list = this.owned.get(checkpoint.trialId) ?? [];
    list.push(checkpoint);
    this.owned.set(checkpoint.trialId, list);
  }

  /**
   * Discards every checkpoint beyond its trial's newest `keep` that no holder
   * refers to; returns them, oldest first per trial. O(holders + checkpoints kept).
   */
  collect(holders: Iterable<CheckpointHolder>): CheckpointRef[] {
    if (this.keep === undefined) return [];
    const keep = this.keep;
    let over = false;
    for (const list of this.owned.values()) if (list.length > keep) over = true;
    if (!over) return [];
    const pinned = new Set<string>();
    for (const holder of holders) {
      if (holder.latestCheckpoint) pinned.add(checkpointKey(holder.latestCheckpoint));
      if (holder.restoreFrom) pinned.add(checkpointKey(holder.restoreFrom));
    }
    const discarded: CheckpointRef[] = [];
    for (const [trialId, list] of this.owned) {
      if (list.length <= keep) continue;
      const newest = list.slice(-keep);
      const older = list.slice(0, -keep).filter((checkpoint) => {
        if (pinned.has(checkpointKey(checkpoint))) return true;
        discarded.push(checkpoint);
        return false;
      });
      this.owned.set(trialId, [...older, ...newest]);
    }
    return discarded;
  }

  /** The checkpoints kept for `trialId`, oldest first (empty when every checkpoint is kept). */
  keptBy(trialId: string): readonly CheckpointRef[] {
    return this.owned.get(trialId) ?? [];
  }

  save(): Json {
    return Object.fromEntries([...this.owned].map(([trialId, list]) => [trialId, list as unknown as Json]));
  }

  restore(state: Json | undefined): void {
    this.owned.clear();
    if (state === undefined || state === null) return;
    for (const [trialId, list] of Object.entries(state as unknown as Record<string, CheckpointRef[]>)) this.owned.set(trialId, list.slice());
  }
}

/**
 * Identity of a checkpoint that survives JSON: the loop's save number. Without one (a
 * checkpoint that did not come through the loop), its trial, iteration, time and path:
 * the cautious side: a reference to one of two such checkpoints pins both.
 */
export function checkpointKey(checkpoint: CheckpointRef): string {
  if (checkpoint.seq !== undefined) return `#${checkpoint.seq}`;
  const path = typeof checkpoint.handle === "string" ? checkpoint.handle : "";
  return `${checkpoint.trialId}\u0001${checkpoint.iteration}\u0001${checkpoint.timeTotal}\u0001${path}`;
}
