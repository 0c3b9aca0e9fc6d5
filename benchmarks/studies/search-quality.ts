/**
 * Model-based searchers side by side on the five problems (issue 4), the TuneLab half of
 * benchmarks/peers/optuna_search.py: simple regret, median [IQR] over seeds 0..9 at 25, 50
 * and 100 evaluations, ask/tell (benchmarks/search/ask-tell.ts). Moved from
 * `compare-search.ts --quality` (issue 13), unchanged.
 *
 *   npx tsx benchmarks/studies/search-quality.ts [--tpe-only]
 */
import { parseArgs } from "node:util";
import { quantile, regretText as fmt } from "../stats/index.ts";
import { CHECKPOINTS, runOnce, searchers, SEEDS } from "../search/ask-tell.ts";
import { problems } from "../search/problems.ts";

export function qualityTables(tpeOnly: boolean): void {
  console.log(`# simple regret, median [IQR] over seeds ${SEEDS[0]}..${SEEDS.at(-1)}, at ${CHECKPOINTS.join(" / ")} evaluations`);
  for (const problem of problems) {
    console.log(`\n## ${problem.name}`);
    console.log(["searcher".padEnd(36), ...CHECKPOINTS.map((c) => `@${c}`.padEnd(30))].join(""));
    for (const [name, factory] of Object.entries(searchers)) {
      if (tpeOnly && !name.startsWith("tpe")) continue;
      const started = performance.now();
      const runs = SEEDS.map((seed) => runOnce(problem, factory, seed, CHECKPOINTS.at(-1) as number));
      const cells = CHECKPOINTS.map((_, k) => {
        const column = runs.map((r) => r[k] as number);
        return `${fmt(quantile(column, 0.5))} [${fmt(quantile(column, 0.25))}, ${fmt(quantile(column, 0.75))}]`.padEnd(30);
      });
      console.log([name.padEnd(36), ...cells, `(${((performance.now() - started) / 1000).toFixed(1)} s)`].join(""));
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { "tpe-only": { type: "boolean", default: false } } });
  qualityTables(values["tpe-only"] === true);
}
