import { linearQuantile } from "./_internals/quantile.ts";
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
  private readonly index: Map<string, number>[];

  constructor(
    readonly s: number,
    readonly reductionFactor: number,
    milestones: readonly number[],
  ) {
    this.rungs = milestones.map((milestone) => ({ milestone, ids: [], scores: [], promoted: new Set<string>() }));
    this.index = this.rungs.map(() => new Map<string, number>());
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
    (this.index[rung] as Map<string, number>).set(trialId, r.ids.length);
    r.ids.push(trialId);
    r.scores.push(score);
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
    return linearQuantile((this.rungs[rung] as AshaRung).scores, 1 - 1 / this.reductionFactor);
  }

  /** The current top floor(|rung| / rf) of a rung, best first; ties go to the earlier arrival. */
  top(rung: number): string[] {
    const r = this.rungs[rung] as AshaRung;
    const k = Math.floor(r.ids.length / this.reductionFactor);
    if (k === 0) return [];
    const order = r.ids.map((_, i) => i);
    order.sort((a, b) => (r.scores[b] as number) - (r.scores[a] as number) || a - b);
    return order.slice(0, k).map((i) => r.ids[i] as string);
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
      saved.ids.forEach((id, i) => this.record(k, id, saved.scores[i] as number));
      for (const id of saved.promoted) r.promoted.add(id);
    });
  }
}
