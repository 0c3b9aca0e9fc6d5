import type { TrialView } from "../../../core/contracts/index.ts";

/**
 * A scheduler's own copy of the loop's candidate list (PENDING and PAUSED
 * trials), kept from `Scheduler.onCandidateChange`, so `chooseTrialToRun` can
 * answer "the first candidate, in creation order, that my rule lets run"
 * without a pass over every waiting trial.
 *
 * The first-runnable query is a min-heap of trial indices with lazy deletion:
 * `first(runnable)` drops from the top every entry that is no longer a
 * candidate or that the rule does not let run, and returns the first one it
 * does. A dropped trial comes back only through `requeue`, so a scheduler uses
 * this only for a rule whose "cannot run" lasts until the scheduler itself
 * changes it (and then calls `requeue`): ASHA's "waits for promotion",
 * HyperBand's "waits at its milestone". Each push is popped at most once:
 * O(log n) amortised per candidate change and per requeue.
 *
 * Only the loop announces changes. A scheduler driven without them (a test
 * calling `chooseTrialToRun` with its own list, a wrapper that does not forward
 * the hook) sees `mirrors(candidates)` false and keeps its scan.
 */
export class CandidateIndex {
  private readonly byId = new Map<string, TrialView>();
  private readonly byIndex = new Map<number, TrialView>();
  private heap: number[] = [];
  /** True once the loop has announced a change: from then on the index is the loop's list. */
  private tracking = false;

  get size(): number {
    return this.byId.size;
  }

  /** The loop's announcement (Scheduler.onCandidateChange); false when it changes nothing. */
  change(trial: TrialView, candidate: boolean): boolean {
    this.tracking = true;
    if (candidate) {
      if (this.byId.has(trial.id)) return false;
      this.byId.set(trial.id, trial);
      this.byIndex.set(trial.index, trial);
      this.push(trial.index);
      return true;
    }
    if (!this.byId.delete(trial.id)) return false;
    this.byIndex.delete(trial.index);
    return true;
  }

  /**
   * Whether `candidates` is the list the loop announced: the loop passes its own
   * list, and an announced set of the same size is that list. Anything else
   * (no announcements, another list) is answered by the caller's scan.
   */
  mirrors(candidates: readonly TrialView[]): boolean {
    return this.tracking && candidates.length === this.byId.size;
  }

  has(trialId: string): boolean {
    return this.byId.has(trialId);
  }

  get(trialId: string): TrialView | undefined {
    return this.byId.get(trialId);
  }

  /** The rule may let `trialId` run again: look at it in the next `first`. */
  requeue(trialId: string): void {
    const trial = this.byId.get(trialId);
    if (trial) this.push(trial.index);
  }

  /** The candidate of lowest creation index that `runnable` accepts; the ones it refuses are dropped until requeued. */
  first(runnable: (trial: TrialView) => boolean): TrialView | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const trial = this.byIndex.get(heap[0] as number);
      if (trial !== undefined && runnable(trial)) return trial;
      this.pop();
    }
    return undefined;
  }

  /** Forgets everything (the scheduler restored a saved state; the loop announces its candidates again). */
  reset(): void {
    this.byId.clear();
    this.byIndex.clear();
    this.heap = [];
    this.tracking = false;
  }

  private push(index: number): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(index);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as number;
      if (p <= index) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = index;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as number;
    const n = heap.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (heap[r] as number) < (heap[l] as number) ? r : l;
      if ((heap[c] as number) >= last) break;
      heap[i] = heap[c] as number;
      i = c;
    }
    heap[i] = last;
  }
}
