import { OptionError } from "../core/errors/index.ts";
import type { SchedulerName, SearcherName } from "./algorithms.ts";

/**
 * Which `tunelab sim` flags apply to which scheduler or searcher, and which
 * combinations are wrong or unusual. A flag given to an algorithm that ignores it
 * is an error (it would silently do nothing); a combination that runs, but not as
 * the user probably means, is a warning.
 */
interface FlagScope {
  readonly kind: "--scheduler" | "--searcher";
  readonly names: readonly (SchedulerName | SearcherName)[];
}

export const FLAG_SCOPES: Readonly<Record<string, FlagScope>> = {
  "--max-t": { kind: "--scheduler", names: ["asha", "asha-promotion", "hyperband", "hyperband-bohb"] },
  "--grace-period": { kind: "--scheduler", names: ["asha", "asha-promotion", "median"] },
  "--reduction-factor": { kind: "--scheduler", names: ["asha", "asha-promotion", "hyperband", "hyperband-bohb"] },
  "--perturbation-interval": { kind: "--scheduler", names: ["pbt", "pb2"] },
  "--grid-points": { kind: "--searcher", names: ["grid"] },
};

/** Throws an OptionError for the first given flag that the chosen algorithms ignore. */
export function checkFlagsApply(given: readonly string[], chosen: { searcher: SearcherName; scheduler: SchedulerName }): void {
  for (const flag of given) {
    const scope = FLAG_SCOPES[flag];
    if (scope === undefined) continue;
    const name = scope.kind === "--scheduler" ? chosen.scheduler : chosen.searcher;
    if (!(scope.names as readonly string[]).includes(name)) {
      throw new OptionError(flag, `applies only to ${scope.kind} ${scope.names.join(", ")}, not ${scope.kind} ${name}`);
    }
  }
}

/** Searchers that read the budgets hyperband-bohb announces. */
const BUDGET_AWARE_SEARCHERS: readonly SearcherName[] = ["bohb"];

/** One-line warnings for combinations that run but are probably not what was meant. */
export function combinationWarnings(chosen: { searcher: SearcherName; scheduler: SchedulerName }): string[] {
  const warnings: string[] = [];
  if (chosen.searcher === "bohb" && chosen.scheduler !== "hyperband-bohb") {
    warnings.push(
      `--searcher bohb without --scheduler hyperband-bohb gets no stage budgets: its model uses each result's iteration as the budget (BOHB as published pairs it with hyperband-bohb)`,
    );
  }
  if (chosen.scheduler === "hyperband-bohb" && !BUDGET_AWARE_SEARCHERS.includes(chosen.searcher)) {
    warnings.push(`--scheduler hyperband-bohb announces stage budgets that --searcher ${chosen.searcher} ignores: use --searcher bohb, or --scheduler hyperband`);
  }
  return warnings;
}
