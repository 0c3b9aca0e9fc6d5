import { CONTINUE } from "../../core/contracts/index.ts";
import type { Decision, Json, Result, Scheduler, SchedulerContext, TrialView } from "../../core/contracts/index.ts";

/**
 * Ray Tune's FIFOScheduler: every trial runs to the end; the first PENDING
 * trial runs before any PAUSED one.
 */
export class FIFOScheduler implements Scheduler {
  setContext(_context: SchedulerContext): void {}
  onTrialAdd(_trial: TrialView): void {}
  onTrialResult(_trial: TrialView, _result: Result): Decision {
    return CONTINUE;
  }
  onTrialComplete(_trial: TrialView, _last?: Result): void {}
  onTrialError(_trial: TrialView): void {}
  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    for (const t of candidates) if (t.status === "PENDING") return t;
    for (const t of candidates) if (t.status === "PAUSED") return t;
    return undefined;
  }
  save(): Json {
    return null;
  }
  restore(_state: Json): void {}
}
