/** The scheduler's own calls (the Scheduler contract's hooks) that the loop makes. */
export const HOOKS = ["onTrialAdd", "onTrialResult", "onTrialComplete", "onTrialError", "chooseTrialToRun", "onCandidateChange"] as const;

/**
 * Replaces the `names` methods of `target` (where it has them) by ones that pass their
 * outermost calls through `around` (a method calling another of them goes straight through):
 * own properties shadowing the class's methods. With `self`, the originals run on it, also
 * when called detached (a scheduler instance); without, on `this` (for a prototype, whose
 * wrappers serve every instance). Returns what puts the originals back.
 */
export function wrapOutermost(
  target: object,
  names: readonly string[],
  around: (name: string, args: unknown[], call: () => unknown) => unknown,
  self?: object,
): () => void {
  const methods = target as Record<string, unknown>;
  const restore: Array<[string, unknown, boolean]> = [];
  let depth = 0;
  for (const name of names) {
    const original = methods[name];
    if (typeof original !== "function") continue;
    restore.push([name, original, Object.prototype.hasOwnProperty.call(target, name)]);
    methods[name] = function (this: unknown, ...args: unknown[]): unknown {
      const on = self ?? this;
      if (depth > 0) return original.apply(on, args);
      depth++;
      try {
        return around(name, args, () => original.apply(on, args));
      } finally {
        depth--;
      }
    };
  }
  return () => {
    for (const [name, original, own] of restore) {
      if (own) methods[name] = original;
      else delete methods[name];
    }
  };
}

/**
 * Times a scheduler's own work inside a simulation (benchmarks/perf/scale.ts
 * --scheduler-work), or any object's methods (`wrap(target, names)`): each method is
 * replaced by a timed call of the original, outermost calls only (`wrapOutermost`).
 * What it adds per call (two clock reads) is measured on an empty method and taken
 * off. Wall time: calls of a few µs are rarely cut by the OS scheduler, but on a
 * loaded machine read it as an estimate.
 */
export class SchedulerWorkTimer {
  private calls = 0;
  private milliseconds = 0;
  private readonly perCallOverhead: number;
  /** Per method: [calls, milliseconds] (the timer's cost not taken off). */
  private readonly hooks = new Map<string, [number, number]>();

  constructor() {
    // The timer's own cost per call, on a method that does nothing.
    const probe = { onTrialAdd: (_t: unknown): void => {} };
    this.wrap(probe);
    for (let i = 0; i < 200_000; i++) probe.onTrialAdd(undefined);
    this.perCallOverhead = this.milliseconds / this.calls;
    this.calls = 0;
    this.milliseconds = 0;
    this.hooks.clear();
  }

  /**
   * Times the `methods` `target` has (by default a scheduler instance's hooks, run on it);
   * a prototype's methods with `onThis`. Returns what puts the originals back.
   */
  wrap(target: object, methods: readonly string[] = HOOKS, onThis = false): () => void {
    return wrapOutermost(
      target,
      methods,
      (name, _args, call) => {
        const t0 = performance.now();
        try {
          return call();
        } finally {
          const ms = performance.now() - t0;
          this.milliseconds += ms;
          this.calls++;
          const h = this.hooks.get(name);
          if (h) {
            h[0]++;
            h[1] += ms;
          } else this.hooks.set(name, [1, ms]);
        }
      },
      onThis ? undefined : target,
    );
  }

  /** Calls timed so far. */
  get callCount(): number {
    return this.calls;
  }

  /** The timer's own cost per call, in milliseconds (taken off the figures). */
  get overheadMs(): number {
    return this.perCallOverhead;
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
