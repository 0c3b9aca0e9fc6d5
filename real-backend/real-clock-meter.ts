import { emptyExecutorStats } from "../core/contracts/index.ts";
import type { ExecutorStats, Resources } from "../core/contracts/index.ts";

/** A trial as the meter sees it: what it holds, since when (on the meter's clock), and whether it still does. */
export interface HeldResources {
  readonly resources: Resources;
  readonly placedAt: number;
  readonly live: boolean;
}

/**
 * The real backends' clock and figures, kept once for both executors: seconds
 * since the executor started, the counters of ExecutorStats, and the GPU-seconds
 * meter (ended trials booked on release, running ones counted up to now).
 */
export class RealClockMeter {
  private readonly startedAt = performance.now();
  readonly counts: ExecutorStats = emptyExecutorStats();

  now(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** A trial let its resources go: book its GPU-seconds. */
  release(trial: HeldResources): void {
    this.counts.gpuSeconds += trial.resources.gpu * (this.now() - trial.placedAt);
  }

  gpuSecondsUsed(trials: Iterable<HeldResources>): number {
    let used = this.counts.gpuSeconds;
    for (const trial of trials) if (trial.live) used += trial.resources.gpu * (this.now() - trial.placedAt);
    return used;
  }

  stats(trials: Iterable<HeldResources>): ExecutorStats {
    return { ...this.counts, gpuSeconds: this.gpuSecondsUsed(trials) };
  }
}
