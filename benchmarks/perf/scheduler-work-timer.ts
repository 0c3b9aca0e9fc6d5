import type { Scheduler } from "../../core/contracts/index.ts";

/** The scheduler's own calls (the Scheduler contract's hooks) that the loop makes. */
export const HOOKS = ["onTrialAdd", "onTrialResult", "onTrialComplete", "onTrialError", "chooseTrialToRun", "onCandidateChange"] as const;

/**
 * Times a scheduler's own work inside a simulation (benchmarks/perf/scale.ts
 * --scheduler-work): each hook of the instance is replaced by a timed call of
 * the original, outermost calls only (a hook calling another is counted once).
 * What it adds per call (two clock reads) is measured on an empty hook and
 * taken off. Wall time: calls of a few µs are rarely cut by the OS scheduler,
 * but on a loaded machine read it as an estimate.
 */
export class SchedulerWorkTimer {
  private depth = 0;
  private calls = 0;
  private milliseconds = 0;
  private readonly perCallOverhead: number;
  /** Per hook: [calls, milliseconds] (the timer's cost not taken off). */
  private readonly hooks = new Map<string, [number, number]>();

  constructor() {
    // The timer's own cost per call, on a hook that does nothing.
    const probe = { onTrialAdd: (_t: unknown): void => {} } as unknown as Scheduler;
    this.wrap(probe);
    for (let i = 0; i < 200_000; i++) probe.onTrialAdd(undefined as never);
    this.perCallOverhead = this.milliseconds / this.calls;
    this.calls = 0;
    this.milliseconds = 0;
    this.hooks.clear();
  }

  /** Replaces the hooks `scheduler` has by timed ones (own properties shadowing its class's methods). */
  wrap(scheduler: Scheduler): Scheduler {
    const target = scheduler as unknown as Record<string, unknown>;
    for (const hook of HOOKS) {
      const original = target[hook];
      if (typeof original !== "function") continue;
      const bound = (original as (...a: unknown[]) => unknown).bind(scheduler);
      target[hook] = (...args: unknown[]): unknown => {
        if (this.depth > 0) return bound(...args);
        this.depth++;
        const t0 = performance.now();
        try {
          return bound(...args);
        } finally {
          const ms = performance.now() - t0;
          this.milliseconds += ms;
          this.calls++;
          this.depth--;
          const h = this.hooks.get(hook);
          if (h) {
            h[0]++;
            h[1] += ms;
          } else this.hooks.set(hook, [1, ms]);
        }
      };
    }
    return scheduler;
  }

  /** Per hook: calls and seconds, the timer's cost taken off. */
  byHook(): Record<string, { calls: number; seconds: number }> {
    const out: Record<string, { calls: number; seconds: number }> = {};
    for (const [hook, [calls, ms]] of this.hooks) out[hook] = { calls, seconds: Math.max(0, ms - calls * this.perCallOverhead) / 1000 };
    return out;
  }

  /** Seconds of the scheduler's own work so far, the timer's cost taken off. */
  get seconds(): number {
    return Math.max(0, this.milliseconds - this.calls * this.perCallOverhead) / 1000;
  }
}
