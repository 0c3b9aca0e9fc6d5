import { CONTINUE, isBetter, pauseBecause, shortNumber, stopBecause, metricOf, objectivity, timeAttrOf } from "../../core/contracts/index.ts";
import type { Decision, Json, Mode, Result, Scheduler, SchedulerContext, TrialView } from "../../core/contracts/index.ts";
import { median } from "./_internals/quantile.ts";
import { booleanOption, checkVersion, integerAtLeast, nonEmptyString, nonNegativeNumber } from "./_internals/options.ts";

export interface MedianStoppingRuleOptions {
  metric: string;
  mode: Mode;
  /** @defaultValue "time_total_s" */
  timeAttr?: string;
  /** No trial is stopped before this (timeAttr units); running means start here. @defaultValue 60 */
  gracePeriod?: number;
  /** Fewest other trials, reached as far, to compare against. @defaultValue 3 */
  minSamplesRequired?: number;
  /** Short of samples, a trial yields its worker to waiting or new trials at most once per this much time. @defaultValue 0 */
  minTimeSlice?: number;
  /** False: pause instead of stop; paused trials resume once no new trial will come. @defaultValue true */
  hardStop?: boolean;
}

const SAVE_VERSION = 1;
const OWNER = "MedianStoppingRule";

/** Running sums of one trial's results at or after the grace period, rebuilt when its history changes. */
interface TrialCurve {
  /** History length and last result these sums were built from. */
  length: number;
  last: Result | undefined;
  times: number[];
  /** prefix[i] = sum of the first i metric values. */
  prefix: number[];
  lastTime: number;
}

interface SavedMedian {
  version: number;
  stopped: string[];
  lastPause: Array<[string, number]>;
}

/**
 * The median stopping rule of Google Vizier (Golovin et al. 2017), as Ray
 * Tune runs it: a trial past the grace period stops (or pauses) when its best
 * value so far is strictly worse than the median of the other trials' running
 * means up to the same time, counting only trials that got that far.
 */
export class MedianStoppingRule implements Scheduler {
  readonly metric: string;
  readonly mode: Mode;
  readonly timeAttr: string;
  readonly gracePeriod: number;
  readonly minSamplesRequired: number;
  readonly minTimeSlice: number;
  readonly hardStop: boolean;
  private context: SchedulerContext | undefined;
  private readonly stopped = new Set<string>();
  private readonly lastPause = new Map<string, number>();
  // Derived from the trials' histories: never saved, rebuilt on demand.
  private readonly curves = new Map<string, TrialCurve>();

  constructor(options: MedianStoppingRuleOptions) {
    const o = objectivity(options, OWNER);
    this.metric = o.metric;
    this.mode = o.mode;
    this.timeAttr = nonEmptyString(`${OWNER}.timeAttr`, options.timeAttr ?? "time_total_s");
    this.gracePeriod = nonNegativeNumber(`${OWNER}.gracePeriod`, options.gracePeriod ?? 60);
    this.minSamplesRequired = integerAtLeast(`${OWNER}.minSamplesRequired`, options.minSamplesRequired ?? 3, 1);
    this.minTimeSlice = nonNegativeNumber(`${OWNER}.minTimeSlice`, options.minTimeSlice ?? 0);
    this.hardStop = booleanOption(`${OWNER}.hardStop`, options.hardStop ?? true);
  }

  setContext(context: SchedulerContext): void {
    this.context = context;
  }

  onTrialAdd(): void {}

  onTrialResult(trial: TrialView, result: Result): Decision {
    const time = timeAttrOf(result, this.timeAttr);
    if (time === undefined || metricOf(result, this.metric) === undefined) return CONTINUE;
    // A trial paused by the rule and resumed at the end runs on FIFO.
    if (this.stopped.has(trial.id)) return CONTINUE;
    if (time < this.gracePeriod) return CONTINUE;
    const means = this.comparableMeans(trial, time);
    if (means.length < this.minSamplesRequired) return this.onInsufficientSamples(trial, time);
    const middle = median(means) as number;
    const best = this.bestSoFar(trial);
    if (best === undefined || !isBetter(this.mode, middle, best)) return CONTINUE;
    this.stopped.add(trial.id);
    const reason = `best ${shortNumber(best)} worse than the median ${shortNumber(middle)} of ${means.length} running means at ${this.timeAttr} ${shortNumber(time)}`;
    return this.hardStop ? stopBecause(reason) : pauseBecause(reason);
  }

  onTrialComplete(): void {}
  onTrialError(): void {}

  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    for (const t of candidates) if (t.status === "PENDING") return t;
    // Ray runs PENDING trials before PAUSED ones; here a new trial is the PENDING one to come.
    if (this.context?.moreTrialsPossible?.() === true) return undefined;
    for (const t of candidates) if (!this.stopped.has(t.id)) return t;
    return candidates[0];
  }

  /** Whether the rule stopped (or paused for good) this trial. */
  hasStopped(trialId: string): boolean {
    return this.stopped.has(trialId);
  }

  /** The running means the rule would compare `trial` against at `time` (tests). */
  comparableMeans(trial: TrialView, time: number): number[] {
    const means: number[] = [];
    const trials = this.context?.trials() ?? [];
    for (const other of trials) {
      if (other.id === trial.id) continue;
      const curve = this.curveOf(other);
      if (curve.times.length === 0 || curve.lastTime < time) continue;
      const upTo = upperBound(curve.times, time);
      if (upTo === 0) continue;
      means.push((curve.prefix[upTo] as number) / upTo);
    }
    return means;
  }

  save(): Json {
    const state: SavedMedian = { version: SAVE_VERSION, stopped: [...this.stopped], lastPause: [...this.lastPause] };
    return state as unknown as Json;
  }

  restore(state: Json): void {
    checkVersion(OWNER, state, SAVE_VERSION);
    const s = state as unknown as SavedMedian;
    this.stopped.clear();
    for (const id of s.stopped) this.stopped.add(id);
    this.lastPause.clear();
    for (const [id, t] of s.lastPause) this.lastPause.set(id, t);
    this.curves.clear();
  }

  private onInsufficientSamples(trial: TrialView, time: number): Decision {
    const since = time - (this.lastPause.get(trial.id) ?? Number.NEGATIVE_INFINITY);
    if (!(since > this.minTimeSlice) || !this.othersWaiting(trial)) return CONTINUE;
    this.lastPause.set(trial.id, time);
    return pauseBecause(`fewer than ${this.minSamplesRequired} trials to compare with: yields its worker`);
  }

  /** Another trial could use this worker: one is PENDING or PAUSED, or the loop will create more. */
  private othersWaiting(trial: TrialView): boolean {
    if (this.context?.moreTrialsPossible?.() === true) return true;
    for (const t of this.context?.trials() ?? []) {
      if (t.id !== trial.id && (t.status === "PENDING" || t.status === "PAUSED")) return true;
    }
    return false;
  }

  private bestSoFar(trial: TrialView): number | undefined {
    let best: number | undefined;
    for (const r of trial.history) {
      const v = r.metrics[this.metric];
      if (v !== undefined && (best === undefined || isBetter(this.mode, v, best))) best = v;
    }
    return best;
  }

  private curveOf(trial: TrialView): TrialCurve {
    const history = trial.history;
    let curve = this.curves.get(trial.id);
    const intact = curve !== undefined && curve.length <= history.length && (curve.length === 0 || history[curve.length - 1] === curve.last);
    if (!curve || !intact) {
      curve = { length: 0, last: undefined, times: [], prefix: [0], lastTime: Number.NEGATIVE_INFINITY };
      this.curves.set(trial.id, curve);
    }
    for (let i = curve.length; i < history.length; i++) {
      const r = history[i] as Result;
      const t = timeAttrOf(r, this.timeAttr);
      const v = r.metrics[this.metric];
      if (t === undefined || v === undefined) continue;
      curve.lastTime = t;
      if (t < this.gracePeriod) continue;
      curve.times.push(t);
      curve.prefix.push((curve.prefix[curve.prefix.length - 1] as number) + v);
    }
    curve.length = history.length;
    curve.last = history[history.length - 1];
    return curve;
  }
}

/** Number of entries of ascending `sorted` that are <= x. */
function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
