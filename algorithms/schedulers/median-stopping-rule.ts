import { CONTINUE, isBetter, pauseBecause, shortNumber, stopBecause, metricOf, objectivity, timeAttrOf } from "../../core/contracts/index.ts";
import type { Decision, Json, Mode, Result, Scheduler, SchedulerContext, TrialView } from "../../core/contracts/index.ts";
import { RunningMeans } from "./median-running-means.ts";
import { CandidateIndex } from "./_internals/candidate-index.ts";
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
  // Derived from the trials' histories: never saved, rebuilt on demand (an interval index, see median-running-means.ts).
  private readonly means: RunningMeans;
  /**
   * The loop's candidates (onCandidateChange), twice: the first PENDING one, and
   * the first one the rule has not stopped, each in O(log n) amortised instead of
   * a pass over every waiting trial per free slot. With pauses (hardStop false,
   * or yielding for lack of samples) paused trials pile up while new trials keep
   * coming, and the pass ran past all of them to the newest, PENDING, trial.
   * Lazy dropping is exact here: a candidate's status does not change while it
   * waits (it leaves the list to start, end or wait for a donor, and comes back
   * announced), and `stopped` only grows (restore resets both indices).
   */
  private readonly pendingCandidates = new CandidateIndex();
  private readonly unstoppedCandidates = new CandidateIndex();
  private readonly isPending = (t: TrialView): boolean => t.status === "PENDING";
  private readonly notStopped = (t: TrialView): boolean => !this.stopped.has(t.id);

  constructor(options: MedianStoppingRuleOptions) {
    const o = objectivity(options, OWNER);
    this.metric = o.metric;
    this.mode = o.mode;
    this.timeAttr = nonEmptyString(`${OWNER}.timeAttr`, options.timeAttr ?? "time_total_s");
    this.gracePeriod = nonNegativeNumber(`${OWNER}.gracePeriod`, options.gracePeriod ?? 60);
    this.minSamplesRequired = integerAtLeast(`${OWNER}.minSamplesRequired`, options.minSamplesRequired ?? 3, 1);
    this.minTimeSlice = nonNegativeNumber(`${OWNER}.minTimeSlice`, options.minTimeSlice ?? 0);
    this.hardStop = booleanOption(`${OWNER}.hardStop`, options.hardStop ?? true);
    this.means = new RunningMeans(this.metric, this.timeAttr, this.gracePeriod);
  }

  setContext(context: SchedulerContext): void {
    this.context = context;
  }

  onTrialAdd(): void {}

  onTrialResult(trial: TrialView, result: Result): Decision {
    this.means.sync(trial);
    const time = timeAttrOf(result, this.timeAttr);
    if (time === undefined || metricOf(result, this.metric) === undefined) return CONTINUE;
    // A trial paused by the rule and resumed at the end runs on FIFO.
    if (this.stopped.has(trial.id)) return CONTINUE;
    if (time < this.gracePeriod) return CONTINUE;
    const { median: middle, count } = this.means.medianAt(trial, time, this.allTrials);
    if (count < this.minSamplesRequired || middle === undefined) return this.onInsufficientSamples(trial, time);
    const best = this.bestSoFar(trial);
    if (best === undefined || !isBetter(this.mode, middle, best)) return CONTINUE;
    this.stopped.add(trial.id);
    const reason = `best ${shortNumber(best)} worse than the median ${shortNumber(middle)} of ${count} running means at ${this.timeAttr} ${shortNumber(time)}`;
    return this.hardStop ? stopBecause(reason) : pauseBecause(reason);
  }

  // A last result with `done`, or one a stopper ended the trial on, does not reach onTrialResult.
  onTrialComplete(trial: TrialView): void {
    this.means.sync(trial);
  }

  onTrialError(trial: TrialView): void {
    this.means.sync(trial);
  }

  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    const choice = this.choose(candidates);
    // Starting it may drop the results it will re-do: re-read it at the next event.
    if (choice !== undefined) this.means.markChosen(choice);
    return choice;
  }

  onCandidateChange(trial: TrialView, candidate: boolean): void {
    this.pendingCandidates.change(trial, candidate);
    this.unstoppedCandidates.change(trial, candidate);
  }

  private choose(candidates: readonly TrialView[]): TrialView | undefined {
    if (this.pendingCandidates.mirrors(candidates)) {
      const pending = this.pendingCandidates.first(this.isPending);
      if (pending !== undefined) return pending;
      if (this.context?.moreTrialsPossible?.() === true) return undefined;
      return this.unstoppedCandidates.first(this.notStopped) ?? candidates[0];
    }
    for (const t of candidates) if (t.status === "PENDING") return t;
    // Ray runs PENDING trials before PAUSED ones; here a new trial is the PENDING one to come.
    if (this.context?.moreTrialsPossible?.() === true) return undefined;
    for (const t of candidates) if (!this.stopped.has(t.id)) return t;
    return candidates[0];
  }

  private readonly allTrials = (): readonly TrialView[] => this.context?.trials() ?? [];

  /** Whether the rule stopped (or paused for good) this trial. */
  hasStopped(trialId: string): boolean {
    return this.stopped.has(trialId);
  }

  /** The running means the rule would compare `trial` against at `time` (tests). */
  comparableMeans(trial: TrialView, time: number): number[] {
    return this.means.means(trial, time, this.allTrials());
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
    this.means.clear();
    // The loop announces its candidates again after a restore.
    this.pendingCandidates.reset();
    this.unstoppedCandidates.reset();
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
}
