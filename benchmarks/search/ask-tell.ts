import { BOHBSearcher, GPSearcher, RandomSearch, TPESearcher } from "../../algorithms/searchers/index.ts";
import { OPTUNA_31_TPE_OPTIONS } from "../../algorithms/searchers/tpe/tpe-searcher.ts";
import type { Searcher } from "../../core/contracts/index.ts";
import type { Space } from "../../core/space/index.ts";
import type { Problem } from "./problems.ts";

/**
 * Searchers driven ask/tell on a plain function (no simulator): suggest, evaluate,
 * onTrialComplete at iteration 1. Simple regret = best value so far - known optimum.
 * BOHB sees a single budget here (the functions have no fidelity), so it is its KDE
 * model plus random fraction, without successive halving.
 */
export type Factory = (space: Space, seed: number) => Searcher;
export const base = (seed: number) => ({ metric: "y", mode: "min" as const, seed });
export const searchers: Record<string, Factory> = {
  "tpe (default)": (space, seed) => new TPESearcher(space, base(seed)),
  "tpe optuna 3.1 preset": (space, seed) => new TPESearcher(space, { ...base(seed), ...OPTUNA_31_TPE_OPTIONS }),
  "tpe multivariate+group": (space, seed) => new TPESearcher(space, { ...base(seed), multivariate: true, group: true }),
  "tpe EI weighting": (space, seed) => new TPESearcher(space, { ...base(seed), goodWeighting: "expected-improvement" }),
  "tpe univariate, normalized scoring": (space, seed) => new TPESearcher(space, { ...base(seed), scoring: "normalized" }),
  bohb: (space, seed) => new BOHBSearcher(space, base(seed)),
  "gp-bo": (space, seed) => new GPSearcher(space, base(seed)),
  random: (space, seed) => new RandomSearch(space, base(seed)),
};

export const SEEDS = Array.from({ length: 10 }, (_, i) => i);
export const CHECKPOINTS = [25, 50, 100];

export function runOnce(problem: Problem, factory: Factory, seed: number, evaluations: number): number[] {
  const searcher = factory(problem.space, seed);
  let best = Infinity;
  const regrets: number[] = [];
  for (let t = 0; t < evaluations; t++) {
    const id = String(t);
    const config = searcher.suggest(id);
    if (typeof config === "string") throw new Error(`searcher answered ${config}`);
    const y = problem.evaluate(config);
    best = Math.min(best, y);
    searcher.onTrialComplete(id, { trialId: id, iteration: 1, metrics: { y }, time: t, timeTotal: 1 });
    if (CHECKPOINTS.includes(t + 1)) regrets.push(best - problem.optimum);
  }
  return regrets;
}

