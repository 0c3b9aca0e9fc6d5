import type { Result, TrialView } from "../../core/contracts/index.ts";
import { timeAttrOf } from "../../core/contracts/index.ts";
import { OrderStatisticTree } from "../math/order-statistic-tree.ts";
import { lowerBound, upperBound } from "../math/sorted-search.ts";

/**
 * The running means the median stopping rule compares against, kept so that a
 * result costs O(log n) instead of a pass over every trial (issue 14).
 *
 * A trial's running mean "at time T" is the mean of its values at or after the
 * grace period with time <= T, and it counts at T only once the trial got as far
 * as T (its last reported time is >= T). The rule only ever asks at the times
 * trials report, so for each such time T ("tracked") one order-statistic tree
 * holds the running means at T of every trial that counts there. With times that
 * only grow, a trial's mean at T never changes once it counts there: a result at
 * time t adds the trial to the trees of the tracked times in (previous time, t],
 * O(log n) each, and usually t is itself the only one.
 *
 * The first question at a new time T builds its tree from every trial, once
 * (O(n log n)). At most `maxTracked` times are tracked; a question at any other
 * time is answered by a pass over every trial, as before. So the cost per result
 * is O(log n) when the time attribute takes few distinct values (iterations,
 * epochs, a checkpoint grid), and O(n) as before for a continuous one (wall-clock
 * seconds, every trial reporting at its own times).
 *
 * Exactly the same answers as the pass: every event that can change a history
 * re-reads that trial (`sync`): its own results, its completion (a last result
 * with `done` or a stopper's stop skips onTrialResult), and a restart, which drops
 * results when the loop starts a trial the scheduler chose (`markChosen`). A trial
 * whose times go backwards, or whose history was cut, has its entries removed and
 * rebuilt. A mean that is NaN cannot be ordered: then every question takes the pass.
 */

/** Running sums of one trial's results at or after the grace period, rebuilt when its history changes. */
export interface TrialCurve {
  /** History length and last result these sums were built from. */
  length: number;
  last: Result | undefined;
  times: number[];
  /** prefix[i] = sum of the first i metric values. */
  prefix: number[];
  lastTime: number;
  /** Distinct per trial: the tie-break key of its entries. */
  readonly serial: number;
  /** A time did not grow once: appending may then move its means anywhere (binary searches over unsorted times). */
  irregular: boolean;
}

/** The median (numpy's, the mean of the two middle values for an even count) and how many values it came from. */
export interface MedianOfMeans {
  readonly median: number | undefined;
  readonly count: number;
}

export class RunningMeans {
  private readonly curves = new Map<string, TrialCurve>();
  private serials = 0;
  /** Tracked times, ascending, and the tree of each. */
  private tracked: number[] = [];
  private trees: OrderStatisticTree[] = [];
  /** Trials the loop may have cut (restarted) since the last event. */
  private readonly chosen = new Map<string, TrialView>();
  /** False once a NaN mean appeared: every question then takes the pass. */
  private orderable = true;

  constructor(
    private readonly metric: string,
    private readonly timeAttr: string,
    private readonly gracePeriod: number,
    private readonly maxTracked = 256,
  ) {}

  /** Forgets everything (after a restore): curves and trees are rebuilt from the histories on demand. */
  clear(): void {
    this.curves.clear();
    this.tracked = [];
    this.trees = [];
    this.chosen.clear();
    this.orderable = true;
  }

  /** The loop is about to start `trial`, which may drop the results it will re-do. */
  markChosen(trial: TrialView): void {
    this.chosen.set(trial.id, trial);
  }

  /** Brings the entries of `trial` (and of any trial started since the last call) up to its history. */
  sync(trial: TrialView): void {
    if (this.chosen.size > 0) {
      for (const t of this.chosen.values()) this.update(t);
      this.chosen.clear();
    }
    this.update(trial);
  }

  /**
   * The median of the running means at `time` of every trial but `self`, counting
   * only trials that got as far as `time`. `all()` lists every trial (the pass).
   */
  medianAt(self: TrialView, time: number, all: () => readonly TrialView[]): MedianOfMeans {
    let at = lowerBound(this.tracked, time);
    if (at === this.tracked.length || this.tracked[at] !== time) {
      if (!this.orderable || this.tracked.length >= this.maxTracked) return passMedian(this.means(self, time, all()));
      this.track(at, time, all());
      if (!this.orderable) return passMedian(this.means(self, time, all()));
      at = lowerBound(this.tracked, time);
    }
    if (!this.orderable) return passMedian(this.means(self, time, all()));
    const tree = this.trees[at] as OrderStatisticTree;
    const own = this.curveOf(self);
    const ownMean = meanAt(own, time);
    const skip = ownMean === undefined ? -1 : tree.rankOf(ownMean, own.serial);
    const count = tree.size - (skip >= 0 ? 1 : 0);
    if (count === 0) return { median: undefined, count };
    // numpy's median on the ascending order; the tree ranks highest first.
    const position = 0.5 * (count - 1);
    const lower = Math.floor(position);
    const upper = Math.min(count - 1, lower + 1);
    const low = ascendingScore(tree, count, skip, lower);
    return { median: low + (ascendingScore(tree, count, skip, upper) - low) * (position - lower), count };
  }

  /** The running means of every trial but `self` at `time`, in trial order (the pass; also for tests). */
  means(self: TrialView, time: number, trials: readonly TrialView[]): number[] {
    const out: number[] = [];
    for (const other of trials) {
      if (other.id === self.id) continue;
      const mean = meanAt(this.update(other), time);
      if (mean !== undefined) out.push(mean);
    }
    return out;
  }

  /** Starts tracking `time` (inserted at `at`): its tree gets every trial's mean there. */
  private track(at: number, time: number, trials: readonly TrialView[]): void {
    // Bring every curve up to date first, so the new tree is built from current histories.
    for (const t of trials) this.update(t);
    const tree = new OrderStatisticTree();
    for (const t of trials) {
      const curve = this.curves.get(t.id) as TrialCurve;
      const mean = meanAt(curve, time);
      if (mean === undefined) continue;
      if (Number.isNaN(mean)) {
        this.orderable = false;
        return;
      }
      tree.insert(mean, curve.serial);
    }
    this.tracked.splice(at, 0, time);
    this.trees.splice(at, 0, tree);
  }

  /** Re-reads the history of `trial` and moves its entries in the trees to match. */
  private update(trial: TrialView): TrialCurve {
    const history = trial.history;
    const curve = this.curves.get(trial.id);
    const intact = curve !== undefined && curve.length <= history.length && (curve.length === 0 || history[curve.length - 1] === curve.last);
    if (curve !== undefined && intact && curve.length === history.length) return curve;
    if (curve === undefined || !intact) {
      const fresh: TrialCurve = { length: 0, last: undefined, times: [], prefix: [0], lastTime: Number.NEGATIVE_INFINITY, serial: curve?.serial ?? this.serials++, irregular: false };
      fresh.irregular = !this.extend(fresh, history);
      if (curve !== undefined) this.moveEntries(curve, curve.times.length, fresh);
      else this.moveEntries(undefined, 0, fresh);
      this.curves.set(trial.id, fresh);
      return fresh;
    }
    const oldLastTime = curve.lastTime;
    const oldTimes = curve.times.length;
    const monotone = this.extend(curve, history, oldLastTime);
    if (monotone && !curve.irregular) {
      // Means at tracked times up to the old last time are unchanged; the trial now counts up to the new one.
      const first = upperBound(this.tracked, oldLastTime);
      for (let k = first; k < this.tracked.length && (this.tracked[k] as number) <= curve.lastTime; k++) {
        this.insertEntry(k, curve, curve.times.length);
      }
    } else {
      // Times went backwards: the old entries are those of the first `oldTimes` sums up to the old last time.
      curve.irregular = true;
      const before: TrialCurve = { ...curve, lastTime: oldLastTime };
      this.moveEntries(before, oldTimes, curve);
    }
    return curve;
  }

  /** Appends the unread results of `history` to `curve`; false when a time is not above the one before (`since`). */
  private extend(curve: TrialCurve, history: readonly Result[], since = Number.NEGATIVE_INFINITY): boolean {
    let monotone = true;
    let previous = since;
    for (let i = curve.length; i < history.length; i++) {
      const r = history[i] as Result;
      const t = timeAttrOf(r, this.timeAttr);
      const v = r.metrics[this.metric];
      if (t === undefined || v === undefined) continue;
      if (!(t > previous)) monotone = false;
      previous = t;
      curve.lastTime = t;
      if (t < this.gracePeriod) continue;
      curve.times.push(t);
      curve.prefix.push((curve.prefix[curve.prefix.length - 1] as number) + v);
    }
    curve.length = history.length;
    curve.last = history[history.length - 1];
    return monotone;
  }

  /** Replaces the entries of `before` (its first `beforeTimes` sums) by those of `after`, in every tree. */
  private moveEntries(before: TrialCurve | undefined, beforeTimes: number, after: TrialCurve): void {
    for (let k = 0; k < this.tracked.length; k++) {
      const time = this.tracked[k] as number;
      const tree = this.trees[k] as OrderStatisticTree;
      if (before !== undefined) {
        const old = meanAt(before, time, beforeTimes);
        if (old !== undefined) tree.remove(old, before.serial);
      }
      this.insertEntry(k, after, after.times.length);
    }
  }

  private insertEntry(k: number, curve: TrialCurve, times: number): void {
    const mean = meanAt(curve, this.tracked[k] as number, times);
    if (mean === undefined) return;
    if (Number.isNaN(mean)) this.orderable = false;
    else (this.trees[k] as OrderStatisticTree).insert(mean, curve.serial);
  }

  private curveOf(trial: TrialView): TrialCurve {
    return this.curves.get(trial.id) ?? this.update(trial);
  }
}

/** The `ascending`-th smallest of the tree's `count` scores left once the entry at rank `skip` (if >= 0) is set aside. */
function ascendingScore(tree: OrderStatisticTree, count: number, skip: number, ascending: number): number {
  const rank = count - 1 - ascending;
  return tree.scoreAt(skip >= 0 && rank >= skip ? rank + 1 : rank);
}

/** The trial's running mean at `time` over its first `times` sums, or undefined where it does not count. */
function meanAt(curve: TrialCurve, time: number, times = curve.times.length): number | undefined {
  if (times === 0 || curve.lastTime < time) return undefined;
  const upTo = upperBound(curve.times, time, times);
  if (upTo === 0) return undefined;
  return (curve.prefix[upTo] as number) / upTo;
}

function passMedian(means: number[]): MedianOfMeans {
  if (means.length === 0) return { median: undefined, count: 0 };
  const sorted = Float64Array.from(means).sort();
  const position = 0.5 * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  const low = sorted[lower] as number;
  return { median: low + ((sorted[upper] as number) - low) * (position - lower), count: means.length };
}
