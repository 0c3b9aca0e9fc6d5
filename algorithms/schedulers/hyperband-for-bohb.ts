import type { Decision, Result, TrialView } from "../../core/contracts/index.ts";
import { HyperBandScheduler, type HyperBandOptions } from "./hyperband.ts";

/**
 * Receives the budget (the milestone, in timeAttr units, that the trial's
 * bracket stage runs to) of every result: BOHB fits one model per budget.
 */
export interface BudgetObserver {
  onTrialBudget(trialId: string, budget: number, result: Result): void;
}

export interface HyperBandForBOHBOptions extends HyperBandOptions {
  /** Usually the BOHB searcher; it hears each result's budget before the scheduler decides. */
  budgetObserver?: BudgetObserver;
}

/**
 * HyperBand as BOHB (Falkner et al. 2018) runs it: brackets fill largest
 * first (s = s_max, as the paper's loop; Ray Tune's plain HyperBandScheduler
 * starts at s = 0 instead) and every result is tagged with its budget, which
 * Ray passes as `result["hyperband_info"]["budget"]`.
 */
export class HyperBandForBOHB extends HyperBandScheduler {
  private readonly budgetObserver: BudgetObserver | undefined;

  constructor(options: HyperBandForBOHBOptions) {
    super(options, "HyperBandForBOHB");
    this.budgetObserver = options.budgetObserver;
  }

  override onTrialResult(trial: TrialView, result: Result): Decision {
    const info = this.bracketInfo(trial.id);
    if (info) this.budgetObserver?.onTrialBudget(trial.id, info.milestone, result);
    return super.onTrialResult(trial, result);
  }

  /** The budget the trial's current stage runs to (for searchers that ask instead of listening). */
  budgetOf(trialId: string): number | undefined {
    return this.bracketInfo(trialId)?.milestone;
  }
}
