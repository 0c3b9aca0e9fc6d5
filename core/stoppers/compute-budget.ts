import { OptionError } from "../contracts/index.ts";
import type { Json } from "../contracts/index.ts";
import type { Stopper } from "./stopper.ts";

/** What an experiment may spend: simulated (or wall) seconds on the loop's clock, GPU-hours held by trials, or both (whichever runs out first). */
export interface ComputeBudget {
  seconds?: number;
  gpuHours?: number;
}

/**
 * Stops the whole experiment once its compute budget is spent, so that methods
 * are compared at equal cost rather than at equal trial counts (Syne Tune's
 * `max_wallclock_time` / `max_cost` stop criteria). Trials still running when it
 * fires are stopped with what they reported; until then the loop keeps creating
 * trials (give it an unlimited trial count). GPU-hours come from `gpuSecondsUsed`,
 * the executor's meter of GPU-seconds held so far, running trials included.
 */
export class ComputeBudgetStopper implements Stopper {
  readonly seconds: number | undefined;
  readonly gpuHours: number | undefined;

  constructor(
    budget: ComputeBudget,
    private readonly gpuSecondsUsed?: () => number,
  ) {
    validateComputeBudget(budget);
    this.seconds = budget.seconds;
    this.gpuHours = budget.gpuHours;
    if (this.gpuHours !== undefined && !gpuSecondsUsed) {
      throw new OptionError("budget.gpuHours", "needs an executor that meters GPU-seconds");
    }
  }

  shouldStopTrial(): boolean {
    return false;
  }

  shouldStopAll(now: number): boolean {
    if (this.seconds !== undefined && now >= this.seconds) return true;
    return this.gpuHours !== undefined && (this.gpuSecondsUsed as () => number)() >= this.gpuHours * 3600;
  }

  save(): Json {
    return null;
  }

  restore(): void {}
}

/** One-line errors for a budget with no limit or a limit that is not a positive finite number. */
export function validateComputeBudget(budget: ComputeBudget): void {
  const { seconds, gpuHours } = budget;
  if (seconds === undefined && gpuHours === undefined) throw new OptionError("budget", "needs seconds or gpuHours");
  if (seconds !== undefined && !(seconds > 0 && Number.isFinite(seconds))) {
    throw new OptionError("budget.seconds", `must be a finite number > 0, got ${seconds}`);
  }
  if (gpuHours !== undefined && !(gpuHours > 0 && Number.isFinite(gpuHours))) {
    throw new OptionError("budget.gpuHours", `must be a finite number > 0, got ${gpuHours}`);
  }
}
