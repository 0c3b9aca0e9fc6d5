import { OptionError } from "./contracts/index.ts";
import type { CheckpointRef, Json } from "./contracts/index.ts";

/** What the retention policy needs of a trial: its id and the checkpoints it may still restore. */
export interface CheckpointHolder {
  readonly id: string;
  readonly latestCheckpoint: CheckpointRef | undefined;
  readonly restoreFrom: CheckpointRef | undefined;
}

/**
 * Ray Tune's `num_to_keep`: each trial keeps at most `keep` of the checkpoints
 * it saved, the newest. Unlike Ray, a checkpoint some trial may still restore
 * is pinned, whatever its age: the latest checkpoint of a trial that cloned it
 * (PBT's exploit: it stays pinned until the clone has saved weights of its
 * own), and the checkpoint a paused or failed trial will start from. So an
 * exploit never restores deleted or wrong weights. A pinned checkpoint is
 * collected later, once nothing refers to it.
 *
 * Only the owner and the trials that cloned one of its checkpoints can refer to
 * it, so collecting a trial's checkpoints looks at those alone: the cost of a
 * save does not grow with the number of trials. Checkpoints are compared by the
 * loop's save number (`seq`) rather than by object, so references survive an
 * experiment save and resume.
 */
export class CheckpointRetention {
  /** Per trial, the checkpoints it saved and still keeps, oldest first. */
  private readonly owned = new Map<string, CheckpointRef[]>();
  /** Per trial, the trials that took one of its checkpoints (some may since have moved on). */
  private readonly adopters = new Map<string, Set<CheckpointHolder>>();

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

  /** `holder` took a checkpoint of `ownerId` (a PBT clone, or a trial told to start from it). */
  adopt(holder: CheckpointHolder, ownerId: string): void {
    if (this.keep === undefined || holder.id === ownerId) return;
    const set = this.adopters.get(ownerId) ?? new Set();
    set.add(holder);
    this.adopters.set(ownerId, set);
  }

  /**
   * Discards `owner`'s checkpoints beyond its newest `keep` that neither it nor a
   * trial that cloned it refers to; returns them, oldest first.
   */
  collect(owner: CheckpointHolder): CheckpointRef[] {
    if (this.keep === undefined) return [];
    const list = this.owned.get(owner.id);
    if (list === undefined || list.length <= this.keep) return [];
    const pinned = new Set<string>();
    const pin = (holder: CheckpointHolder): boolean => {
      let holds = false;
      for (const ref of [holder.latestCheckpoint, holder.restoreFrom]) {
        if (ref?.trialId !== owner.id) continue;
        pinned.add(checkpointKey(ref));
        holds = true;
      }
      return holds;
    };
    pin(owner);
    const adopters = this.adopters.get(owner.id);
    // A clone that has moved on (saved weights of its own) no longer pins anything here.
    for (const adopter of adopters ?? []) if (!pin(adopter)) adopters?.delete(adopter);
    const discarded: CheckpointRef[] = [];
    const older = list.slice(0, -this.keep).filter((checkpoint) => {
      if (pinned.has(checkpointKey(checkpoint))) return true;
      discarded.push(checkpoint);
      return false;
    });
    this.owned.set(owner.id, [...older, ...list.slice(-this.keep)]);
    return discarded;
  }

  /** The checkpoints kept for `trialId`, oldest first (empty when every checkpoint is kept). */
  keptBy(trialId: string): readonly CheckpointRef[] {
    return this.owned.get(trialId) ?? [];
  }

  save(): Json {
    return Object.fromEntries([...this.owned].map(([trialId, list]) => [trialId, list as unknown as Json]));
  }

  /** Back from `save()`; the adopters are found again from the trials' own references. */
  restore(state: Json | undefined, holders: Iterable<CheckpointHolder>): void {
    this.owned.clear();
    this.adopters.clear();
    if (state !== undefined && state !== null) {
      for (const [trialId, list] of Object.entries(state as unknown as Record<string, CheckpointRef[]>)) this.owned.set(trialId, list.slice());
    }
    for (const holder of holders) {
      for (const ref of [holder.latestCheckpoint, holder.restoreFrom]) if (ref) this.adopt(holder, ref.trialId);
    }
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
