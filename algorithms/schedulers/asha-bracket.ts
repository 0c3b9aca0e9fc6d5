import { OrderStatisticTree } from "../math/order-statistic-tree.ts";
import { reached } from "./_internals/options.ts";

/** One rung: the scores (higher is better) recorded there, in arrival order, and who left it by promotion. */
export interface AshaRung {
  readonly milestone: number;
  readonly ids: string[];
  readonly scores: number[];
  readonly promoted: Set<string>;
}

export interface AshaRungState {
  milestone: number;
  ids: string[];
  scores: number[];
  promoted: string[];
}

/**
 * The rungs of one ASHA bracket: milestones `gracePeriod * rf^(k + s)` below
 * `maxT`, lowest first. Scores are `sign * metric`, so higher is better in
 * every comparison here.
 */
export class AshaBracket {
  readonly rungs: AshaRung[];
  /** Per rung: trial id -> arrival index (the tie-break: earlier is better). */
  private readonly index: Map<string, number>[];
  /** Per rung: every recorded score, best first, for cutoffs and the top in O(log n). */
  private readonly ranked: OrderStatisticTree[];
  /** Per rung: the entries waiting there for promotion (promotion type), best first; payload = arrival index. */
  private readonly waiting: OrderStatisticTree[];
  /**
   * Per rung: the waiting entries that are also the loop's candidates (paused,
   * not still saving), same keys. Kept only when the scheduler is told the
   * candidates; the promotion then reads the best one in O(log n) instead of
   * walking past waiting trials that cannot start yet.
   */
  private readonly runnable: OrderStatisticTree[];

  constructor(
    readonly s: number,
    readonly reductionFactor: number,
    milestones: readonly number[],
  ) {
    this.rungs = milestones.map((milestone) => ({ milestone, ids: [], scores: [], promoted: new Set<string>() }));
    this.index = this.rungs.map(() => new Map<string, number>());
    this.ranked = this.rungs.map(() => new OrderStatisticTree());
    this.waiting = this.rungs.map(() => new OrderStatisticTree());
    this.runnable = this.rungs.map(() => new OrderStatisticTree());
  }

  static milestones(gracePeriod: number, reductionFactor: number, maxT: number, s: number): number[] {
    const out: number[] = [];
    for (let k = 0; ; k++) {
      const milestone = gracePeriod * reductionFactor ** (k + s);
      if (reached(milestone, maxT)) return out;
      out.push(milestone);
    }
  }

  has(rung: number, trialId: string): boolean {
    return (this.index[rung] as Map<string, number>).has(trialId);
  }

  record(rung: number, trialId: string, score: number): void {
    const r = this.rungs[rung] as AshaRung;
    const arrival = r.ids.length;
    (this.index[rung] as Map<string, number>).set(trialId, arrival);
    r.ids.push(trialId);
    r.scores.push(score);
    (this.ranked[rung] as OrderStatisticTree).insert(score, arrival, arrival);
  }

  /** Marks a trial recorded at `rung` as paused there, waiting for promotion. */
  markWaiting(rung: number, trialId: string): void {
    const arrival = (this.index[rung] as Map<string, number>).get(trialId);
    if (arrival === undefined) return;
    const r = this.rungs[rung] as AshaRung;
    (this.waiting[rung] as OrderStatisticTree).insert(r.scores[arrival] as number, arrival, arrival);
  }

  /** The trial no longer waits at `rung` (promoted, ended or errored). */
  unmarkWaiting(rung: number, trialId: string): void {
    const arrival = (this.index[rung] as Map<string, number>).get(trialId);
    if (arrival === undefined) return;
    const r = this.rungs[rung] as AshaRung;
    (this.waiting[rung] as OrderStatisticTree).remove(r.scores[arrival] as number, arrival);
  }

  /** A trial waiting at `rung` became (true) or stopped being (false) one of the loop's candidates; called on changes only. */
  markRunnable(rung: number, trialId: string, runnable: boolean): void {
    const arrival = (this.index[rung] as Map<string, number>).get(trialId);
    if (arrival === undefined) return;
    const score = (this.rungs[rung] as AshaRung).scores[arrival] as number;
    const tree = this.runnable[rung] as OrderStatisticTree;
    if (runnable) {
      tree.insert(score, arrival, arrival);
    } else {
      tree.remove(score, arrival);
    }
  }

  /**
   * `promotable` for the loop's candidates, off the `markRunnable` entries: the
   * best runnable waiting trial if it is within the rung's top floor(n / rf).
   * The same answer as `promotable(rung, isCandidate)`: the walk there meets
   * the waiting trials in rank order and returns the first candidate, unless a
   * trial outside the top comes first.
   */
  promotableRunnable(rung: number): string | undefined {
    const r = this.rungs[rung] as AshaRung;
    const top = Math.floor(r.ids.length / this.reductionFactor);
    if (r.promoted.size >= top) return undefined;
    const runnable = this.runnable[rung] as OrderStatisticTree;
    if (runnable.size === 0) return undefined;
    const score = runnable.scoreAt(0);
    const arrival = runnable.tieAt(0);
    if ((this.ranked[rung] as OrderStatisticTree).rankOf(score, arrival) >= top) return undefined;
    const id = r.ids[arrival] as string;
    return r.promoted.has(id) ? undefined : id;
  }

  /**
   * Algorithm 2's candidate at a rung: the best trial waiting there (not yet
   * promoted) that is within the rung's top floor(n / rf) and passes `accept`;
   * undefined when the top is used up. Walks the waiting trials best first and
   * stops at the first one ranked outside the top, so it costs O(log n) per trial looked at.
   */
  promotable(rung: number, accept: (trialId: string) => boolean): string | undefined {
    const r = this.rungs[rung] as AshaRung;
    const top = Math.floor(r.ids.length / this.reductionFactor);
    if (r.promoted.size >= top) return undefined;
    const waiting = this.waiting[rung] as OrderStatisticTree;
    const ranked = this.ranked[rung] as OrderStatisticTree;
    for (let i = 0; i < waiting.size; i++) {
      const score = waiting.scoreAt(i);
      const arrival = waiting.tieAt(i);
      if (ranked.rankOf(score, arrival) >= top) return undefined;
      const id = r.ids[arrival] as string;
      if (!r.promoted.has(id) && accept(id)) return id;
    }
    return undefined;
  }

  /**
   * The rung a result at `time` lands on, Ray's way: the highest rung the
   * trial has reached; undefined when that rung already holds the trial (its
   * decision there is made) or no rung is reached.
   */
  rungToRecord(trialId: string, time: number): number | undefined {
    for (let k = this.rungs.length - 1; k >= 0; k--) {
      if (!reached(time, (this.rungs[k] as AshaRung).milestone)) continue;
      return this.has(k, trialId) ? undefined : k;
    }
    return undefined;
  }

  /** Ray's stopping cutoff: the (1 - 1/rf) quantile of the scores recorded at the rung so far; none on an empty rung. */
  cutoff(rung: number): number | undefined {
    // numpy's linear-interpolation percentile (what Ray uses), read off the ranked scores:
    // the i-th smallest score is the (n - 1 - i)-th best.
    const ranked = this.ranked[rung] as OrderStatisticTree;
    const n = ranked.size;
    if (n === 0) return undefined;
    const position = (1 - 1 / this.reductionFactor) * (n - 1);
    const lower = Math.floor(position);
    const upper = Math.min(n - 1, lower + 1);
    const low = ranked.scoreAt(n - 1 - lower);
    return low + (ranked.scoreAt(n - 1 - upper) - low) * (position - lower);
  }

  /** The current top floor(|rung| / rf) of a rung, best first; ties go to the earlier arrival. */
  top(rung: number): string[] {
    const r = this.rungs[rung] as AshaRung;
    const ranked = this.ranked[rung] as OrderStatisticTree;
    const k = Math.floor(r.ids.length / this.reductionFactor);
    const out: string[] = [];
    for (let i = 0; i < k; i++) out.push(r.ids[ranked.payloadAt(i)] as string);
    return out;
  }

  save(): AshaRungState[] {
    return this.rungs.map((r) => ({ milestone: r.milestone, ids: r.ids.slice(), scores: r.scores.slice(), promoted: [...r.promoted] }));
  }

  restore(state: readonly AshaRungState[]): void {
    state.forEach((saved, k) => {
      const r = this.rungs[k] as AshaRung;
      r.ids.length = 0;
      r.scores.length = 0;
      r.promoted.clear();
      (this.index[k] as Map<string, number>).clear();
      (this.ranked[k] as OrderStatisticTree).clear();
      (this.waiting[k] as OrderStatisticTree).clear();
      (this.runnable[k] as OrderStatisticTree).clear();
      saved.ids.forEach((id, i) => this.record(k, id, saved.scores[i] as number));
      for (const id of saved.promoted) r.promoted.add(id);
    });
  }
}
