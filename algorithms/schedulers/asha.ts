import { CONTINUE, metricOf, objectivity, OptionError, pauseBecause, promoteBecause, SavedStateError, shortNumber, stopBecause, timeAttrOf } from "../../core/contracts/index.ts";
import type { Decision, Json, Mode, Result, Scheduler, SchedulerContext, TrialView } from "../../core/contracts/index.ts";
import { rngFor, type Rng, type RngState } from "../../core/rng.ts";
import { AshaBracket, type AshaRungState } from "./asha-bracket.ts";
import { CandidateIndex } from "./_internals/candidate-index.ts";
import { checkRungCount, checkVersion, integerAtLeast, nonEmptyString, positiveNumber, reached, reductionFactorOption } from "./_internals/options.ts";

export type ASHAType = "stopping" | "promotion";

export interface ASHAOptions {
  metric: string;
  mode: Mode;
  /** Result attribute that measures progress: "training_iteration", "time_total_s" or a metric name. @defaultValue "training_iteration" */
  timeAttr?: string;
  /** Trials stop when timeAttr reaches this. @defaultValue 100 */
  maxT?: number;
  /** First rung; no trial is stopped or paused before it. @defaultValue 1 */
  gracePeriod?: number;
  /** @defaultValue 4 */
  reductionFactor?: number;
  /** Brackets (bracket s starts at gracePeriod * rf^s). @defaultValue 1 */
  brackets?: number;
  /**
   * "stopping": Ray Tune's ASHA, a trial below the rung's (1 - 1/rf) quantile stops.
   * "promotion": Algorithm 2 of Li et al. 2020, trials pause at each rung and
   * the best not-yet-promoted one of the highest possible rung resumes.
   * @defaultValue "stopping"
   */
  type?: ASHAType;
  /** Seed of the bracket draw. @defaultValue 0 */
  seed?: number;
}

const SAVE_VERSION = 1;
const OWNER = "ASHAScheduler";

interface SavedASHA {
  version: number;
  rng: RngState | null;
  bracketOf: Array<[string, number]>;
  brackets: AshaRungState[][];
  waitingAt: Array<[string, number]>;
}

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel
 * Hyperparameter Tuning", 2020), in Ray Tune's stopping form or the paper's
 * promotion form (which Ray Tune lacks, its issue #32634).
 */
export class ASHAScheduler implements Scheduler {
  readonly metric: string;
  readonly mode: Mode;
  readonly timeAttr: string;
  readonly maxT: number;
  readonly gracePeriod: number;
  readonly reductionFactor: number;
  readonly type: ASHAType;
  private readonly sign: 1 | -1;
  private readonly seed: number;
  private readonly brackets: AshaBracket[];
  /** Softmax weights exp(rungs - max rungs) of the bracket draw, as Ray Tune draws. */
  private readonly bracketWeights: number[];
  private rng: Rng | undefined;
  private readonly bracketOf = new Map<string, number>();
  /** Promotion type: trials paused at a rung, waiting for promotion (trial id -> rung index). */
  private readonly waitingAt = new Map<string, number>();
  /** The loop's candidates (onCandidateChange): the first one not waiting for promotion in O(log n). */
  private readonly candidates = new CandidateIndex();
  private readonly notWaiting = (t: TrialView): boolean => !this.waitingAt.has(t.id);

  constructor(options: ASHAOptions) {
    const o = objectivity(options, OWNER);
    this.metric = o.metric;
    this.mode = o.mode;
    this.sign = o.sign;
    this.timeAttr = nonEmptyString(`${OWNER}.timeAttr`, options.timeAttr ?? "training_iteration");
    this.maxT = positiveNumber(`${OWNER}.maxT`, options.maxT ?? 100);
    this.gracePeriod = positiveNumber(`${OWNER}.gracePeriod`, options.gracePeriod ?? 1);
    this.reductionFactor = reductionFactorOption(`${OWNER}.reductionFactor`, options.reductionFactor ?? 4);
    const brackets = integerAtLeast(`${OWNER}.brackets`, options.brackets ?? 1, 1);
    const type = options.type ?? "stopping";
    if (type !== "stopping" && type !== "promotion") {
      throw new OptionError(`${OWNER}.type`, `must be "stopping" or "promotion", got ${JSON.stringify(type)}`);
    }
    this.type = type;
    this.seed = integerAtLeast(`${OWNER}.seed`, options.seed ?? 0, Number.MIN_SAFE_INTEGER);
    if (!(this.gracePeriod < this.maxT)) {
      throw new OptionError(`${OWNER}.gracePeriod`, `must be < maxT (${this.maxT}), got ${this.gracePeriod}`);
    }
    checkRungCount(`${OWNER}.reductionFactor`, this.reductionFactor, this.maxT / this.gracePeriod, "rungs");
    this.brackets = [];
    for (let s = 0; s < brackets; s++) {
      const milestones = AshaBracket.milestones(this.gracePeriod, this.reductionFactor, this.maxT, s);
      if (milestones.length === 0) {
        throw new OptionError(
          `${OWNER}.brackets`,
          `bracket ${s} would have no rung below maxT (gracePeriod * reductionFactor^${s} >= ${this.maxT}); use at most ${s}`,
        );
      }
      this.brackets.push(new AshaBracket(s, this.reductionFactor, milestones));
    }
    const most = Math.max(...this.brackets.map((b) => b.rungs.length));
    this.bracketWeights = this.brackets.map((b) => Math.exp(b.rungs.length - most));
  }

  setContext(_context: SchedulerContext): void {}

  onTrialAdd(trial: TrialView): void {
    if (this.bracketOf.has(trial.id)) return;
    this.bracketOf.set(trial.id, this.drawBracket());
  }

  onTrialResult(trial: TrialView, result: Result): Decision {
    const time = timeAttrOf(result, this.timeAttr);
    const value = metricOf(result, this.metric);
    if (time === undefined || value === undefined) return CONTINUE;
    if (reached(time, this.maxT)) return stopBecause(`reached maxT ${this.maxT}`);
    const bracket = this.bracketFor(trial.id);
    const rung = bracket.rungToRecord(trial.id, time);
    if (rung === undefined) return CONTINUE;
    const score = this.sign * value;
    if (this.type === "stopping") {
      const cutoff = bracket.cutoff(rung);
      bracket.record(rung, trial.id, score);
      return cutoff !== undefined && score < cutoff ? stopBecause(`below the rung-${rung} cutoff ${shortNumber(this.sign * cutoff)}`) : CONTINUE;
    }
    bracket.record(rung, trial.id, score);
    this.setWaiting(trial.id, rung);
    // The trial pauses at the rung and frees its worker; if the worker's next
    // job would be promoting this very trial, skip the save/restore round trip.
    const next = this.promotionChoice(undefined);
    if (next !== undefined && next.trialId === trial.id) {
      this.promote(next.trialId);
      return promoteBecause(`promoted from rung ${rung}`);
    }
    return pauseBecause(`paused at rung ${rung} to wait for promotion`);
  }

  onTrialComplete(trial: TrialView, last?: Result): void {
    this.clearWaiting(trial.id);
    // Like Ray: the result that ended the trial (its objective's `done`, a stopper) still counts at its rung.
    if (!last) return;
    const time = timeAttrOf(last, this.timeAttr);
    const value = metricOf(last, this.metric);
    if (time === undefined || value === undefined) return;
    const bracket = this.bracketOf.has(trial.id) ? this.bracketFor(trial.id) : undefined;
    const rung = bracket?.rungToRecord(trial.id, time);
    if (bracket && rung !== undefined) bracket.record(rung, trial.id, this.sign * value);
  }

  onTrialError(trial: TrialView): void {
    this.clearWaiting(trial.id);
  }

  onCandidateChange(trial: TrialView, candidate: boolean): void {
    if (!this.candidates.change(trial, candidate)) return;
    const rung = this.waitingAt.get(trial.id);
    if (rung !== undefined) this.bracketFor(trial.id).markRunnable(rung, trial.id, candidate);
  }

  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    const indexed = this.candidates.mirrors(candidates);
    // The first candidate (creation order) that does not wait for promotion.
    if (indexed) {
      const free = this.candidates.first(this.notWaiting);
      if (free !== undefined) return free;
    } else {
      for (const t of candidates) if (!this.waitingAt.has(t.id)) return t;
    }
    if (this.type !== "promotion") return undefined;
    // Every candidate waits for promotion. When they are all the waiting trials (the usual
    // case), any waiting trial is runnable and no per-call set of candidates is needed.
    let accept: ((trialId: string) => boolean) | undefined;
    if (candidates.length !== this.waitingAt.size) {
      if (indexed) accept = (id) => this.candidates.has(id);
      else {
        // Built only if a waiting trial is looked at: one pass over the candidates per call.
        let runnable: Set<string> | undefined;
        accept = (id) => (runnable ??= new Set(candidates.map((t) => t.id))).has(id);
      }
    }
    const choice = this.promotionChoice(accept, indexed);
    if (choice === undefined) return undefined;
    this.promote(choice.trialId);
    return indexed ? this.candidates.get(choice.trialId) : candidates.find((t) => t.id === choice.trialId);
  }

  /** Snapshot of every rung (tests, debugging): scores are raw metric values. */
  rungs(): Array<Array<{ milestone: number; entries: Array<[string, number]>; promoted: string[] }>> {
    return this.brackets.map((b) =>
      b.rungs.map((r) => ({
        milestone: r.milestone,
        entries: r.ids.map((id, i): [string, number] => [id, this.sign * (r.scores[i] as number)]),
        promoted: [...r.promoted],
      })),
    );
  }

  /** The bracket a trial was put in. */
  bracketIndexOf(trialId: string): number | undefined {
    return this.bracketOf.get(trialId);
  }

  save(): Json {
    const state: SavedASHA = {
      version: SAVE_VERSION,
      rng: this.rng ? this.rng.save() : null,
      bracketOf: [...this.bracketOf],
      brackets: this.brackets.map((b) => b.save()),
      waitingAt: [...this.waitingAt],
    };
    return state as unknown as Json;
  }

  restore(state: Json): void {
    checkVersion(OWNER, state, SAVE_VERSION);
    const s = state as unknown as SavedASHA;
    if (s.brackets.length !== this.brackets.length) {
      throw new SavedStateError(`${OWNER}.restore`, `state has ${s.brackets.length} brackets, this scheduler ${this.brackets.length}`);
    }
    this.rng = s.rng ? rngFor(this.seed, "scheduler:asha") : undefined;
    if (this.rng && s.rng) this.rng.restore(s.rng);
    this.bracketOf.clear();
    for (const [id, b] of s.bracketOf) this.bracketOf.set(id, b);
    s.brackets.forEach((saved, i) => (this.brackets[i] as AshaBracket).restore(saved));
    // Before the waiting trials: the loop announces its candidates after the restore.
    this.candidates.reset();
    this.waitingAt.clear();
    for (const [id, rung] of s.waitingAt) this.setWaiting(id, rung);
  }

  private setWaiting(trialId: string, rung: number): void {
    this.clearWaiting(trialId);
    this.waitingAt.set(trialId, rung);
    this.bracketFor(trialId).markWaiting(rung, trialId);
    if (this.candidates.has(trialId)) this.bracketFor(trialId).markRunnable(rung, trialId, true);
  }

  private clearWaiting(trialId: string): void {
    const rung = this.waitingAt.get(trialId);
    if (rung === undefined) return;
    this.waitingAt.delete(trialId);
    if (this.candidates.has(trialId)) this.bracketFor(trialId).markRunnable(rung, trialId, false);
    this.bracketFor(trialId).unmarkWaiting(rung, trialId);
    // A candidate that no longer waits may run (a promotion the loop could not place).
    this.candidates.requeue(trialId);
  }

  private drawBracket(): number {
    if (this.brackets.length === 1) return 0;
    this.rng ??= rngFor(this.seed, "scheduler:asha");
    const total = this.bracketWeights.reduce((a, b) => a + b, 0);
    let u = this.rng.next() * total;
    for (let i = 0; i < this.bracketWeights.length; i++) {
      u -= this.bracketWeights[i] as number;
      if (u < 0) return i;
    }
    return this.bracketWeights.length - 1;
  }

  private bracketFor(trialId: string): AshaBracket {
    let b = this.bracketOf.get(trialId);
    if (b === undefined) {
      // A trial the scheduler never saw added (restored from an older state): draw now.
      b = this.drawBracket();
      this.bracketOf.set(trialId, b);
    }
    return this.brackets[b] as AshaBracket;
  }

  private promote(trialId: string): void {
    const rung = this.waitingAt.get(trialId) as number;
    this.clearWaiting(trialId);
    const bracket = this.bracketFor(trialId);
    (bracket.rungs[rung] as { promoted: Set<string> }).promoted.add(trialId);
  }

  /**
   * Algorithm 2's get_job: the best not-yet-promoted waiting trial of the
   * highest rung whose top floor(n/rf) contains one, while fewer than
   * floor(n/rf) trials have left that rung. Across brackets the
   * highest milestone wins, then the lower bracket index. `runnable`, when
   * given, limits the choice to trials the loop can run now.
   */
  private promotionChoice(runnable: ((trialId: string) => boolean) | undefined, indexed = false): { trialId: string; milestone: number } | undefined {
    const accept = runnable ?? (() => true);
    let best: { trialId: string; milestone: number } | undefined;
    for (const bracket of this.brackets) {
      for (let k = bracket.rungs.length - 1; k >= 0; k--) {
        const rung = bracket.rungs[k] as { milestone: number };
        if (best && best.milestone >= rung.milestone) break;
        // Stricter than the paper's get_job, which can promote more than floor(n/rf) once a
        // promoted trial drops out of the top: the promoted count never passes floor(n/rf).
        // With the loop's candidates indexed, the best runnable waiting trial is read directly.
        const found = indexed && runnable !== undefined ? bracket.promotableRunnable(k) : bracket.promotable(k, accept);
        if (found !== undefined) {
          best = { trialId: found, milestone: rung.milestone };
          break;
        }
      }
    }
    return best;
  }
}
