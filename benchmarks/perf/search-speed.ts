/**
 * Milliseconds per suggestion of TPE and GP-BO on hartmann6 with N finished random trials
 * in their history (issue 4). Moved from `compare-search.ts --speed` (issue 13), unchanged.
 *
 *   npx tsx benchmarks/perf/search-speed.ts
 */
import { GPSearcher, TPESearcher } from "../../algorithms/searchers/index.ts";
import { quantile } from "../stats/index.ts";
import { base, searchers, type Factory } from "../search/ask-tell.ts";
import { problems, type Problem } from "../search/problems.ts";

/** ms per suggestion with `history` finished random trials on Hartmann6 (history built with a random-only twin, then restored). */
function msPerSuggestion(factory: Factory, history: number, repeats: number, warmup: number): number {
  const problem = problems[2] as Problem;
  const warm = factory(problem.space, 0);
  // Random history: the model searchers' states are plain data, so build it through a
  // searcher that stays in its startup phase and hand the state over.
  const builder = warm instanceof TPESearcher
    ? new TPESearcher(problem.space, { ...base(0), nStartupTrials: history + 1 })
    : warm instanceof GPSearcher
      ? new GPSearcher(problem.space, { ...base(0), nStartupTrials: history + 1 })
      : null;
  if (builder === null) throw new Error("timing is for TPE and GP");
  for (let t = 0; t < history; t++) {
    const id = `h${t}`;
    const config = builder.suggest(id) as Record<string, unknown>;
    builder.onTrialComplete(id, { trialId: id, iteration: 1, metrics: { y: problem.evaluate(config) }, time: t, timeTotal: 1 });
  }
  warm.restore(builder.save());
  const times: number[] = [];
  // The first `warmup` suggestions (JIT, and the GP's from-scratch hyperparameter fit) are not timed.
  for (let r = 0; r < warmup + repeats; r++) {
    const id = `t${r}`;
    const started = performance.now();
    const config = warm.suggest(id) as Record<string, unknown>;
    if (r >= warmup) times.push(performance.now() - started);
    warm.onTrialComplete(id, { trialId: id, iteration: 1, metrics: { y: problem.evaluate(config) }, time: r, timeTotal: 1 });
  }
  return quantile(times, 0.5);
}

export function speedTable(): void {
  const sizes = [100, 500, 1000, 2000];
  console.log("\n# ms per suggestion on hartmann6 (6 floats) with N finished trials in history, median of 21 (GP: 3) after 10 (GP: 1) untimed");
  console.log(["searcher".padEnd(36), ...sizes.map((n) => `N=${n}`.padEnd(12))].join(""));
  const rows: Array<[string, Factory, number]> = [
    ["tpe (default)", searchers["tpe (default)"] as Factory, 2000],
    ["tpe optuna 3.1 preset", searchers["tpe optuna 3.1 preset"] as Factory, 2000],
    ["tpe multivariate+group", searchers["tpe multivariate+group"] as Factory, 2000],
    ["gp-bo", searchers["gp-bo"] as Factory, 1000],
  ];
  for (const [name, factory, limit] of rows) {
    const gp = name === "gp-bo";
    const cells = sizes.map((n) => (n <= limit ? msPerSuggestion(factory, n, gp ? 3 : 21, gp ? 1 : 10).toFixed(2) : "-").padEnd(12));
    console.log([name.padEnd(36), ...cells].join(""));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) speedTable();
