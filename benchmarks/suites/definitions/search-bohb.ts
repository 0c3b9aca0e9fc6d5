import type { SuiteDefinition } from "../suite.ts";

/**
 * The grid of `compare-search.ts --bohb-sim` (issue 4) as a suite: HyperBand for BOHB
 * (R = 81, eta = 3: the CLI's hyperband-bohb with 81 iterations) with a BOHB, TPE or random
 * searcher on the learning-curve branin and hartmann6, 8 GPUs, 200 trials per run, 10
 * seeds. The runner measures the incumbent's normalised regret on the noiseless `f` and
 * its curve; benchmarks/studies/bohb-budgets.ts keeps the script's own figure (the best
 * reported value's regret, the objectives built with 81 iterations).
 */
export const searchBohbSuite: SuiteDefinition = {
  name: "search-bohb",
  description: "bohb/tpe/random under HyperBand for BOHB (R=81, eta=3) on branin and hartmann6; 8 GPUs, 200 trials per run",
  benchmarks: ["branin", "hartmann6"],
  gpus: 8,
  trials: 200,
  seeds: 10,
  maxIterations: 81,
  methods: ["bohb:hyperband-bohb", "tpe:hyperband-bohb", "random:hyperband-bohb"],
  targetRegret: 0.01,
};
