import type { Result, TrialView } from "../../core/contracts/index.ts";
import { timeAttrOf } from "../../core/contracts/index.ts";
import { OrderStatisticTree } from "../math/order-statistic-tree.ts";
import { lowerBound, upperBound } from "../math/sorted-search.ts";
import { IntervalMedianIndex } from "./median-interval-index.ts";

/**
 * The running means the median stopping rule compares against (issue 14).
 *
 * A trial's running mean "at time T" is the mean of its values at or after the
 * grace period with time <= T, and it counts at T only once the trial got as far
 * as T (its last reported time is >= T). As a function of T that is a step
 * function: it changes only at the trial's own result times (and ends after its
 * last time). Two exact structures answer the question:
 *
 * - Tracked times (few distinct times: iterations, epochs, a checkpoint grid).
 *   For each of the first `maxTracked` times asked about, one order-statistic
 *   tree holds the running means at T of every trial that counts there (built
 *   once from every trial, O(n log n)); with times that only grow a trial's mean
 *   at T never changes once it counts there, so a result at time t adds the trial
 *   to the trees of the tracked times in (previous time, t], O(log n) each.
 * - Once the trees are used up (a continuous attribute such as time_total_s,
 *   where every trial reports at its own times) or a mean is NaN (no tree can
 *   order it): the trees are dropped and every question from then on goes to an
 *   index built then from every trial and maintained on each result after. Each
 *   step is one interval [start, end) with its mean in an `IntervalMedianIndex`,
 *   which answers "the median of the values whose interval contains T" for any
 *   T, in any order of arrival, in O(sqrt(R log R)) for R steps
 *   (median-interval-index.ts). A result that extends a trial's times moves the
 *   end of its last step and adds one; any other change (times that do not grow,
 *   a history cut by a restart) replaces the trial's steps, computed with the
 *   same binary search as `meanAt`, so the steps hold exactly its values.
 *   (Before the index such questions took the pass: O(n) each.)
 *
 * Exactly the same answers as the pass over every trial (`means` then a sort):
 * every event that can change a history re-reads that trial (`sync`): its own
 * results, its completion (a last result with `done` or a stopper's stop skips
 * onTrialResult), and a restart, which drops results when the loop starts a
 * trial the scheduler chose (`markChosen`). Before the first question and after
 * a restore every trial is read once.
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
  private index: IntervalMedianIndex;
  /** Tracked times, ascending, and the tree of each. */
  private tracked: number[] = [];
  private trees: OrderStatisticTree[] = [];
  /** Whether the interval index is built (and kept up to date): only once a question needs it. */
  private indexActive = false;
  /** False once a NaN mean appeared: the trees are no longer asked. */
  private orderable = true;
  /** Until the first question (and after a restore) the index is read from every history then. */
  private stale = true;
  /** Trials the loop may have cut (restarted) since the last event. */
  private readonly chosen = new Map<string, TrialView>();

  /** `indexed` false: every question takes the pass over every trial (the reference, for tests and benchmarks). */
  constructor(
    private readonly metric: string,
    private readonly timeAttr: string,
    private readonly gracePeriod: number,
    private readonly indexed = true,
    /** Builds the (empty) index: tests pass one with small blocks. */
    private readonly newIndex: () => IntervalMedianIndex = () => new IntervalMedianIndex(),
    private readonly maxTracked = 256,
  ) {
    this.index = newIndex();
  }

  /** Forgets everything (after a restore): rebuilt from the histories at the next question. */
  clear(): void {
    this.curves.clear();
    this.index = this.newIndex();
    this.tracked = [];
    this.trees = [];
    this.indexActive = false;
    this.orderable = true;
    this.chosen.clear();
    this.stale = true;
  }

  /** The loop is about to start `trial`, which may drop the results it will re-do. */
  markChosen(trial: TrialView): void {
    this.chosen.set(trial.id, trial);
  }

  /** Brings the steps of `trial` (and of any trial started since the last call) up to its history. */
  sync(trial: TrialView): void {
    this.flushChosen();
    this.update(trial);
  }

  /**
   * The median of the running means at `time` of every trial but `self`, counting
   * only trials that got as far as `time`. `all()` lists every trial.
   */
  medianAt(self: TrialView, time: number, all: () => readonly TrialView[]): MedianOfMeans {
    if (!this.indexed) return passMedian(this.means(self, time, all()));
    if (this.stale) {
      this.clear();
      this.stale = false;
      for (const t of all()) this.update(t);
    }
    this.flushChosen();
    const own = this.curves.get(self.id) ?? this.update(self);
    const ownMean = meanAt(own, time);
    if (!this.indexActive) {
      let at = lowerBound(this.tracked, time);
      if (this.orderable && this.tracked[at] !== time && !Number.isNaN(time) && this.tracked.length < this.maxTracked) {
        this.track(at, time, all());
        at = lowerBound(this.tracked, time);
      }
      if (this.orderable && this.tracked[at] === time) return this.treeMedian(this.trees[at] as OrderStatisticTree, own, ownMean);
      // Out of trees (or a NaN mean): from now on every question goes to the index, and the trees are dropped.
      this.indexActive = true;
      this.tracked = [];
      this.trees = [];
      for (const curve of this.curves.values()) this.insertSteps(curve, 1);
    }
    return this.index.medianAt(time, ownMean);
  }

  private treeMedian(tree: OrderStatisticTree, own: TrialCurve, ownMean: number | undefined): MedianOfMeans {
    const skip = ownMean === undefined ? -1 : tree.rankOf(ownMean, treeTie(ownMean, own.serial));
    const count = tree.size - (skip >= 0 ? 1 : 0);
    if (count === 0) return { median: undefined, count };
    // numpy's median on the ascending order; the tree ranks highest first.
    const position = 0.5 * (count - 1);
    const lower = Math.floor(position);
    const upper = Math.min(count - 1, lower + 1);
    const low = ascendingScore(tree, count, skip, lower);
    return { median: low + (ascendingScore(tree, count, skip, upper) - low) * (position - lower), count };
  }

  /** Starts tracking `time` (inserted at `at`): its tree gets every trial's mean there. */
  private track(at: number, time: number, trials: readonly TrialView[]): void {
    for (const t of trials) this.update(t);
    const tree = new OrderStatisticTree();
    for (const curve of this.curves.values()) {
      const mean = meanAt(curve, time);
      if (mean === undefined) continue;
      if (Number.isNaN(mean)) {
        this.orderable = false;
        return;
      }
      tree.insert(mean, treeTie(mean, curve.serial));
    }
    this.tracked.splice(at, 0, time);
    this.trees.splice(at, 0, tree);
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

  private flushChosen(): void {
    if (this.chosen.size === 0) return;
    for (const t of this.chosen.values()) this.update(t);
    this.chosen.clear();
  }

  /** Re-reads the history of `trial` and moves its steps in the index to match. */
  private update(trial: TrialView): TrialCurve {
    const history = trial.history;
    const curve = this.curves.get(trial.id);
    const intact = curve !== undefined && curve.length <= history.length && (curve.length === 0 || history[curve.length - 1] === curve.last);
    if (curve !== undefined && intact && curve.length === history.length) return curve;
    if (curve === undefined || !intact) {
      const fresh: TrialCurve = { length: 0, last: undefined, times: [], prefix: [0], lastTime: Number.NEGATIVE_INFINITY, serial: curve?.serial ?? this.serials++, irregular: false };
      fresh.irregular = !this.extend(fresh, history);
      if (curve !== undefined) this.removeSteps(curve);
      this.insertSteps(fresh, 1);
      this.moveEntries(curve, curve?.times.length ?? 0, fresh);
      this.curves.set(trial.id, fresh);
      return fresh;
    }
    const oldTimes = curve.times.length;
    const oldLastTime = curve.lastTime;
    const wasIrregular = curve.irregular;
    const monotone = this.extend(curve, history, oldLastTime);
    if (monotone && !wasIrregular) {
      if (curve.times.length === oldTimes && curve.lastTime === oldLastTime) return curve;
      // Means at tracked times up to the old last time are unchanged; the trial now counts up to the new one.
      const first = upperBound(this.tracked, oldLastTime);
      for (let k = first; k < this.tracked.length && (this.tracked[k] as number) <= curve.lastTime; k++) this.insertEntry(k, curve);
      // Steps before the old last one are unchanged; the old last one now ends at the next time.
      if (oldTimes > 0 && this.indexActive) this.index.remove(stepValue(curve, oldTimes), curve.times[oldTimes - 1] as number, curve.serial);
      this.insertSteps(curve, Math.max(1, oldTimes));
    } else {
      // Times went backwards (or the same time came twice): replace every step.
      curve.irregular = true;
      const before: TrialCurve = { ...curve, times: curve.times.slice(0, oldTimes), prefix: curve.prefix.slice(0, oldTimes + 1), lastTime: oldLastTime, irregular: wasIrregular };
      this.removeSteps(before);
      this.insertSteps(curve, 1);
      this.moveEntries(before, oldTimes, curve);
    }
    return curve;
  }

  /** Replaces the tree entries of `before` (its first `beforeTimes` sums) by those of `after`. */
  private moveEntries(before: TrialCurve | undefined, beforeTimes: number, after: TrialCurve): void {
    for (let k = 0; k < this.tracked.length; k++) {
      if (before !== undefined) {
        const old = meanAt(before, this.tracked[k] as number, beforeTimes);
        if (old !== undefined) (this.trees[k] as OrderStatisticTree).remove(old, treeTie(old, before.serial));
      }
      this.insertEntry(k, after);
    }
  }

  private insertEntry(k: number, curve: TrialCurve): void {
    const mean = meanAt(curve, this.tracked[k] as number);
    if (mean === undefined) return;
    if (Number.isNaN(mean)) this.orderable = false;
    else (this.trees[k] as OrderStatisticTree).insert(mean, treeTie(mean, curve.serial));
  }

  private insertSteps(curve: TrialCurve, from: number): void {
    if (!this.indexActive) return;
    forEachStep(curve, from, (value, start, end) => this.index.insert(value, start, end, curve.serial));
  }

  private removeSteps(curve: TrialCurve): void {
    if (!this.indexActive) return;
    forEachStep(curve, 1, (value, start) => this.index.remove(value, start, curve.serial));
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
}

/**
 * The tie-break key of a trial's entry in a tree. The tree ranks equal scores by
 * lower key first, so in ascending order a higher key comes first: −0 gets keys
 * above every +0's, so that −0 sorts before +0 as in Float64Array's sort (the pass).
 */
function treeTie(mean: number, serial: number): number {
  return mean === 0 && Object.is(mean, -0) ? serial + 2 ** 40 : serial;
}

/** The `ascending`-th smallest of the tree's `count` scores left once the entry at rank `skip` (if >= 0) is set aside. */
function ascendingScore(tree: OrderStatisticTree, count: number, skip: number, ascending: number): number {
  const rank = count - 1 - ascending;
  return tree.scoreAt(skip >= 0 && rank >= skip ? rank + 1 : rank);
}

/** The mean after the first `k` sums: the value of a regular curve's k-th step (as `meanAt` computes it). */
function stepValue(curve: TrialCurve, k: number): number {
  return (curve.prefix[k] as number) / k;
}

/**
 * The steps of `curve`'s running mean, as [start, end) intervals with their
 * value (end NaN: no end), from the `from`-th on (1-based; regular curves only
 * skip). Regular (strictly growing times): step k starts at the k-th time and
 * ends at the next, the last one just after the last time. Irregular: the mean
 * can only change where the binary search of `meanAt` compares differently, at
 * a time of the curve, so the steps start at its distinct times, each valued
 * by `meanAt` itself.
 */
function forEachStep(curve: TrialCurve, from: number, step: (value: number, start: number, end: number) => void): void {
  const m = curve.times.length;
  const after = justAfter(curve.lastTime);
  if (!curve.irregular) {
    for (let k = from; k <= m; k++) step(stepValue(curve, k), curve.times[k - 1] as number, k < m ? (curve.times[k] as number) : after);
    return;
  }
  // `!(t > lastTime)`: a NaN last time never ends a step (as in meanAt).
  const points = Array.from(Float64Array.from(curve.times.filter((t) => !Number.isNaN(t) && !(t > curve.lastTime))).sort());
  for (let i = 0; i < points.length; i++) {
    const start = points[i] as number;
    if (i > 0 && start === points[i - 1]) continue; // −0 and +0 are one time
    let next = i + 1;
    while (next < points.length && points[next] === start) next++;
    const value = meanAt(curve, start);
    if (value !== undefined) step(value, start, next < points.length ? (points[next] as number) : after);
  }
}

/** The end of a step that counts up to and including `last`: the next double (NaN: no end). */
function justAfter(last: number): number {
  if (Number.isNaN(last) || last === Number.POSITIVE_INFINITY) return Number.NaN;
  if (last === 0) return Number.MIN_VALUE;
  bits[0] = last;
  // One unit in the last place up: away from zero for a positive double, towards it for a negative one.
  word[0] = last > 0 ? (word[0] as bigint) + 1n : (word[0] as bigint) - 1n;
  return bits[0] as number;
}

const bits = new Float64Array(1);
const word = new BigUint64Array(bits.buffer);

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
