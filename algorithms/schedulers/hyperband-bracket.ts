import type { HyperBandBracketPlan } from "./hyperband-plan.ts";

/** What a halving decided for the trial that triggered it. */
export type HalvingVerdict = "wait" | "survive" | "stop";

export interface HyperBandBracketState {
  plan: number;
  capacity: number;
  closed: boolean;
  stage: number;
  trials: string[];
  live: string[];
  recorded: Array<[string, number]>;
  resume: string[];
}

/**
 * One synchronous successive-halving bracket. Trials join until `capacity`;
 * each runs to the stage's milestone and waits there; once every live trial
 * has a score at the milestone (and the bracket is closed), the top
 * floor(n_i / eta) go on and the rest stop. Scores: higher is better.
 */
export class HyperBandBracket {
  readonly trials: string[] = [];
  /** Trials still in the race (neither stopped by a halving nor ended). */
  readonly live = new Set<string>();
  /** Scores at the current stage's milestone, arrival order. */
  recorded = new Map<string, number>();
  /** Survivors of the last halving that wait for a worker. */
  readonly resume = new Set<string>();
  stage = 0;
  /** Set when no more trials will join (the experiment's trial budget ran out). */
  closed = false;

  constructor(
    readonly planIndex: number,
    readonly plan: HyperBandBracketPlan,
    readonly eta: number,
    public capacity: number,
  ) {}

  get milestone(): number {
    return (this.plan.stages[this.stage] as { milestone: number }).milestone;
  }

  get isLastStage(): boolean {
    return this.stage >= this.plan.stages.length - 1;
  }

  get full(): boolean {
    return this.closed || this.trials.length >= this.capacity;
  }

  add(trialId: string): void {
    this.trials.push(trialId);
    this.live.add(trialId);
  }

  /** Whether a waiting trial sits at the milestone for a halving. */
  waiting(trialId: string): boolean {
    return this.recorded.has(trialId);
  }

  /** Drops an ended trial from the race. */
  drop(trialId: string): void {
    this.live.delete(trialId);
    this.recorded.delete(trialId);
    this.resume.delete(trialId);
  }

  /** Whether every live trial has reached the milestone of a closed bracket. */
  ready(): boolean {
    if (!this.full || this.live.size === 0 || this.isLastStage) return false;
    // Only live trials are recorded (drop and halve keep it so): equal sizes mean all are there.
    return this.recorded.size === this.live.size;
  }

  /** The halving: returns survivors (best first) and losers; moves to the next stage. */
  halve(): { survivors: string[]; losers: string[] } {
    const entries = [...this.recorded];
    const order = entries.map((_, i) => i);
    order.sort((a, b) => (entries[b] as [string, number])[1] - (entries[a] as [string, number])[1] || a - b);
    const keep = Math.floor(entries.length / this.eta);
    const survivors = order.slice(0, keep).map((i) => (entries[i] as [string, number])[0]);
    const losers = order.slice(keep).map((i) => (entries[i] as [string, number])[0]);
    for (const id of losers) this.live.delete(id);
    this.recorded = new Map();
    this.stage++;
    return { survivors, losers };
  }

  save(): HyperBandBracketState {
    return {
      plan: this.planIndex,
      capacity: this.capacity,
      closed: this.closed,
      stage: this.stage,
      trials: this.trials.slice(),
      live: [...this.live],
      recorded: [...this.recorded],
      resume: [...this.resume],
    };
  }

  static restore(state: HyperBandBracketState, plans: readonly HyperBandBracketPlan[], eta: number): HyperBandBracket {
    const b = new HyperBandBracket(state.plan, plans[state.plan] as HyperBandBracketPlan, eta, state.capacity);
    b.closed = state.closed;
    b.stage = state.stage;
    b.trials.push(...state.trials);
    for (const id of state.live) b.live.add(id);
    b.recorded = new Map(state.recorded);
    for (const id of state.resume) b.resume.add(id);
    return b;
  }
}
