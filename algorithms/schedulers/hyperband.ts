import { CONTINUE, metricOf, objectivity, pauseBecause, SavedStateError, stopBecause, timeAttrOf } from "../../core/contracts/index.ts";
import type { Decision, Json, Mode, Result, Scheduler, SchedulerContext, TrialView } from "../../core/contracts/index.ts";
import { HyperBandBracket, type HalvingVerdict, type HyperBandBracketState } from "./hyperband-bracket.ts";
import { hyperbandPlan, type HyperBandBracketPlan } from "./hyperband-plan.ts";
import { CandidateIndex } from "./_internals/candidate-index.ts";
import { checkRungCount, checkVersion, nonEmptyString, positiveNumber, reached, reductionFactorOption } from "./_internals/options.ts";

export interface HyperBandOptions {
  metric: string;
  mode: Mode;
  /** @defaultValue "training_iteration" */
  timeAttr?: string;
  /** R of the paper: the most a trial runs, in timeAttr units. @defaultValue 81 */
  maxT?: number;
  /** eta of the paper. @defaultValue 3 */
  reductionFactor?: number;
}

const SAVE_VERSION = 1;

interface SavedHyperBand {
  version: number;
  nextPlan: number;
  filling: number;
  brackets: HyperBandBracketState[];
  bracketOf: Array<[string, number]>;
}

/**
 * Synchronous HyperBand (Li et al. 2018). New trials fill brackets in the
 * paper's order s = s_max..0, then the cycle repeats; several brackets run at
 * once when workers allow. A trial pauses at each milestone; once every live
 * trial of its bracket is there, the top floor(n_i / eta) resume from their
 * checkpoints (the paper's rule; Ray Tune rounds up) and the others stop.
 *
 * Uses the optional `SchedulerContext.moreTrialsPossible` (to close the last,
 * under-filled bracket) and `stopWaiting` (to end losers while they are paused).
 */
export class HyperBandScheduler implements Scheduler {
  readonly metric: string;
  readonly mode: Mode;
  readonly timeAttr: string;
  readonly maxT: number;
  readonly reductionFactor: number;
  readonly plan: readonly HyperBandBracketPlan[];
  protected readonly owner: string;
  private readonly sign: 1 | -1;
  private context: SchedulerContext | undefined;
  private brackets: HyperBandBracket[] = [];
  private readonly bracketOf = new Map<string, number>();
  private nextPlan = 0;
  private filling = -1;
  /** The loop's candidates (onCandidateChange): the first runnable one in O(log n). */
  private readonly candidates = new CandidateIndex();
  /**
   * A candidate cannot run while it waits at its milestone or lost a halving;
   * it can again only after a halving that puts it in `resume` (which requeues it).
   */
  private readonly runnable = (t: TrialView): boolean => {
    const bracket = this.bracketFor(t.id);
    return !bracket || bracket.resume.has(t.id) || (!bracket.waiting(t.id) && bracket.live.has(t.id));
  };

  constructor(options: HyperBandOptions, owner = "HyperBandScheduler") {
    this.owner = owner;
    const o = objectivity(options, owner);
    this.metric = o.metric;
    this.mode = o.mode;
    this.sign = o.sign;
    this.timeAttr = nonEmptyString(`${owner}.timeAttr`, options.timeAttr ?? "training_iteration");
    this.maxT = positiveNumber(`${owner}.maxT`, options.maxT ?? 81);
    this.reductionFactor = reductionFactorOption(`${owner}.reductionFactor`, options.reductionFactor ?? 3);
    checkRungCount(`${owner}.reductionFactor`, this.reductionFactor, this.maxT, "brackets");
    this.plan = hyperbandPlan(this.maxT, this.reductionFactor);
  }

  setContext(context: SchedulerContext): void {
    this.context = context;
  }

  onTrialAdd(trial: TrialView): void {
    if (this.bracketOf.has(trial.id)) return;
    let bracket = this.brackets[this.filling];
    if (!bracket || bracket.full) {
      const planIndex = this.nextPlan;
      this.nextPlan = (this.nextPlan + 1) % this.plan.length;
      const plan = this.plan[planIndex] as HyperBandBracketPlan;
      bracket = new HyperBandBracket(planIndex, plan, this.reductionFactor, (plan.stages[0] as { trials: number }).trials);
      this.filling = this.brackets.length;
      this.brackets.push(bracket);
    }
    bracket.add(trial.id);
    this.bracketOf.set(trial.id, this.filling);
  }

  onTrialResult(trial: TrialView, result: Result): Decision {
    const time = timeAttrOf(result, this.timeAttr);
    const value = metricOf(result, this.metric);
    if (time === undefined || value === undefined) return CONTINUE;
    if (reached(time, this.maxT)) return stopBecause(`reached maxT ${this.maxT}`);
    const bracket = this.bracketFor(trial.id);
    if (!bracket || !bracket.live.has(trial.id)) return stopBecause("no longer live in its bracket");
    if (!reached(time, bracket.milestone)) return CONTINUE;
    bracket.recorded.set(trial.id, this.sign * value);
    // Named before processing: a halving moves the bracket to its next milestone.
    const where = `milestone ${bracket.milestone} of bracket ${this.bracketOf.get(trial.id)}`;
    const verdict = this.process(bracket, trial.id);
    if (verdict === "survive") return CONTINUE;
    return verdict === "stop" ? stopBecause(`not in the top 1/${this.reductionFactor} at ${where}`) : pauseBecause(`waiting at ${where} for the rest of its bracket`);
  }

  onTrialComplete(trial: TrialView): void {
    this.end(trial.id);
  }

  onTrialError(trial: TrialView): void {
    this.end(trial.id);
  }

  onCandidateChange(trial: TrialView, candidate: boolean): void {
    this.candidates.change(trial, candidate);
  }

  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    // Checked first: closing the bracket may end waiting losers, which leave the index at once.
    const indexed = this.candidates.mirrors(candidates);
    this.closeIfNoMoreTrials();
    if (indexed) {
      const t = this.candidates.first(this.runnable);
      if (t !== undefined) this.bracketFor(t.id)?.resume.delete(t.id);
      return t;
    }
    for (const t of candidates) {
      if (t.status !== "PENDING" && t.status !== "PAUSED") continue;
      const bracket = this.bracketFor(t.id);
      if (!bracket) return t;
      if (bracket.resume.has(t.id)) {
        bracket.resume.delete(t.id);
        return t;
      }
      // Waiting at a milestone for the rest of its bracket, or a loser the loop could not stop.
      if (bracket.waiting(t.id) || !bracket.live.has(t.id)) continue;
      return t;
    }
    return undefined;
  }

  /** The bracket plan index and stage a trial is in (tests, BOHB budgets). */
  bracketInfo(trialId: string): { bracket: number; s: number; stage: number; milestone: number } | undefined {
    const index = this.bracketOf.get(trialId);
    const bracket = index === undefined ? undefined : this.brackets[index];
    if (!bracket || index === undefined) return undefined;
    return { bracket: index, s: bracket.plan.s, stage: bracket.stage, milestone: bracket.milestone };
  }

  save(): Json {
    const state: SavedHyperBand = {
      version: SAVE_VERSION,
      nextPlan: this.nextPlan,
      filling: this.filling,
      brackets: this.brackets.map((b) => b.save()),
      bracketOf: [...this.bracketOf],
    };
    return state as unknown as Json;
  }

  restore(state: Json): void {
    checkVersion(this.owner, state, SAVE_VERSION);
    const s = state as unknown as SavedHyperBand;
    if (s.brackets.some((b) => b.plan >= this.plan.length)) {
      throw new SavedStateError(`${this.owner}.restore`, "state was saved by a HyperBand with other maxT / reductionFactor");
    }
    this.nextPlan = s.nextPlan;
    this.filling = s.filling;
    this.brackets = s.brackets.map((b) => HyperBandBracket.restore(b, this.plan, this.reductionFactor));
    this.bracketOf.clear();
    for (const [id, b] of s.bracketOf) this.bracketOf.set(id, b);
    this.candidates.reset();
  }

  protected bracketFor(trialId: string): HyperBandBracket | undefined {
    const index = this.bracketOf.get(trialId);
    return index === undefined ? undefined : this.brackets[index];
  }

  private end(trialId: string): void {
    const bracket = this.bracketFor(trialId);
    if (!bracket || !bracket.live.has(trialId)) return;
    bracket.drop(trialId);
    this.process(bracket, undefined);
  }

  /** Closes the filling bracket when no trial will join it any more, then halves it if it is ready. */
  private closeIfNoMoreTrials(): void {
    const bracket = this.brackets[this.filling];
    if (!bracket || bracket.full || this.context?.moreTrialsPossible?.() !== false) return;
    bracket.closed = true;
    this.process(bracket, undefined);
  }

  /**
   * Halves the bracket while it is ready (a halving can make the next stage
   * ready at once when survivors already ended). `current` is the trial whose
   * result is being decided: it is told its verdict instead of being resumed or stopped.
   */
  private process(bracket: HyperBandBracket, current: string | undefined): HalvingVerdict {
    let verdict: HalvingVerdict = current !== undefined && bracket.waiting(current) ? "wait" : "survive";
    const toStop: Array<[string, string]> = [];
    while (bracket.ready()) {
      const lost = `not in the top 1/${this.reductionFactor} at milestone ${bracket.milestone} of bracket ${this.brackets.indexOf(bracket)}`;
      const { survivors, losers } = bracket.halve();
      for (const id of survivors) {
        if (id === current) continue;
        bracket.resume.add(id);
        this.candidates.requeue(id);
      }
      for (const id of losers) {
        bracket.resume.delete(id);
        if (id === current) verdict = "stop";
        else toStop.push([id, lost]);
      }
      if (current !== undefined && survivors.includes(current)) {
        verdict = "survive";
        bracket.resume.delete(current);
      }
    }
    // State is settled before the loop calls back into onTrialComplete.
    for (const [id, reason] of toStop) this.context?.stopWaiting?.(id, reason);
    return verdict;
  }
}
