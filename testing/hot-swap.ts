import type { Decision, Json, Result, Scheduler, SchedulerContext, TrialView } from "../core/contracts/index.ts";

/**
 * Replaces its scheduler, at the chosen calls, by a fresh instance restored from
 * a JSON round trip of `save()`: a run through it must match an uninterrupted
 * run decision for decision. `swapAt` is either a period (every n-th call) or
 * the set of call numbers (1-based) before which to swap.
 */
export class HotSwap implements Scheduler {
  private inner: Scheduler;
  private context: SchedulerContext | undefined;
  private calls = 0;
  swaps = 0;
  private readonly due: (call: number) => boolean;

  constructor(
    private readonly make: () => Scheduler,
    swapAt: number | ReadonlySet<number>,
  ) {
    this.inner = make();
    this.due = typeof swapAt === "number" ? (call) => call % swapAt === 0 : (call) => swapAt.has(call);
  }

  private tick(): Scheduler {
    if (this.due(++this.calls)) {
      const state = JSON.parse(JSON.stringify(this.inner.save())) as Json;
      const fresh = this.make();
      if (this.context) fresh.setContext(this.context);
      fresh.restore(state);
      this.inner = fresh;
      this.swaps++;
    }
    return this.inner;
  }
  setContext(context: SchedulerContext): void {
    this.context = context;
    this.inner.setContext(context);
  }
  onTrialAdd(trial: TrialView): void {
    this.tick().onTrialAdd(trial);
  }
  onTrialResult(trial: TrialView, result: Result): Decision {
    return this.tick().onTrialResult(trial, result);
  }
  onTrialComplete(trial: TrialView, last?: Result): void {
    this.tick().onTrialComplete(trial, last);
  }
  onTrialError(trial: TrialView): void {
    this.tick().onTrialError(trial);
  }
  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    return this.tick().chooseTrialToRun(candidates);
  }
  save(): Json {
    return this.inner.save();
  }
  restore(state: Json): void {
    this.inner.restore(state);
  }
}
