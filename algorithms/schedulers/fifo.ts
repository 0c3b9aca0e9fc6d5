import { CONTINUE } from "../../core/contracts/index.ts";
import type { Decision, Json, Scheduler, SchedulerContext, TrialView } from "../../core/contracts/index.ts";

/**
 * Ray Tune's FIFOScheduler: every trial runs to the end; the first PENDING
 * trial runs before any PAUSED one.
 */
export class FIFOScheduler implements Scheduler {
  setContext(_context: SchedulerContext): void {}
  onTrialAdd(): void {}
  onTrialResult(): Decision {
    return CONTINUE;
  }
  onTrialComplete(): void {}
  onTrialError(): void {}
  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    for (const t of candidates) if (t.status === "PENDING") return t;
    for (const t of candidates) if (t.status === "PAUSED") return t;
    return undefined;
  }
  save(): Json {
    return null;
  }
  restore(): void {}
}
