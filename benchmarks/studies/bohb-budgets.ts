/**
 * BOHB on real budgets (issue 4): HyperBand (R = 81, eta = 3) with a BOHB, TPE or random
 * searcher over the learning-curve versions of branin and hartmann6, 200 trials, 8 GPUs,
 * 10 seeds; the final regret of the best reported value. Moved from
 * `compare-search.ts --bohb-sim` (issue 13), unchanged. The same grid in `tunelab bench`
 * (normalised regret of the noiseless `f`, anytime curves, ranks and tests) is the
 * `search-bohb` suite.
 *
 *   npx tsx benchmarks/studies/bohb-budgets.ts
 */
import { HyperBandForBOHB } from "../../algorithms/schedulers/index.ts";
import { BOHBSearcher, RandomSearch, TPESearcher } from "../../algorithms/searchers/index.ts";
import { simulate } from "../../simulator/index.ts";
import { benchmarkByName } from "../objectives/index.ts";
import { quantile, regretText as fmt } from "../stats/index.ts";

/**
 * BOHB on its budgets: HyperBand (R = 81, eta = 3) over the learning-curve versions of the
 * functions in the simulator, where the budget is training iterations. The same scheduler
 * with a random or TPE searcher is the baseline. Final regret of the best trial.
 */
export function bohbSimulated(): void {
  const seeds = Array.from({ length: 10 }, (_, i) => i);
  const trials = 200;
  console.log(`# HyperBand(R=81, eta=3) in the simulator, ${trials} trials, 8 GPUs: regret of the best trial, median [IQR] over seeds 0..9`);
  for (const name of ["branin", "hartmann6"]) {
    const bench = benchmarkByName(name, { maxIterations: 81 });
    const cells: string[] = [];
    for (const searcherName of ["bohb", "tpe", "random"] as const) {
      const regrets = seeds.map((seed) => {
        const options = { metric: bench.metric, mode: bench.mode, seed };
        const searcher =
          searcherName === "bohb" ? new BOHBSearcher(bench.space, options) : searcherName === "tpe" ? new TPESearcher(bench.space, options) : new RandomSearch(bench.space, options);
        const scheduler = new HyperBandForBOHB({
          metric: bench.metric,
          mode: bench.mode,
          maxT: 81,
          reductionFactor: 3,
          ...(searcher instanceof BOHBSearcher ? { budgetObserver: searcher } : {}),
        });
        const run = simulate({ objective: bench.objective, space: bench.space, searcher, scheduler, metric: bench.metric, mode: bench.mode, trials, seed, maxIterations: 81, cluster: { gpus: 8 } });
        return (run.best?.metric ?? Infinity) - bench.optimum;
      });
      cells.push(`${searcherName}: ${fmt(quantile(regrets, 0.5))} [${fmt(quantile(regrets, 0.25))}, ${fmt(quantile(regrets, 0.75))}]`);
    }
    console.log(`${name.padEnd(12)} ${cells.join("   ")}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) bohbSimulated();
