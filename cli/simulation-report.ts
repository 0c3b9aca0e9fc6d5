import type { Benchmark } from "../benchmarks/objectives/index.ts";
import type { SimulationRun, SimulationSummary } from "../simulator/index.ts";

/** What `tunelab sim` and `tunelab run SIMULATION-FILE` print: the summary with regret and dollars per regret. */
export type SimulationReport = SimulationSummary & {
  benchmark: string;
  searcher: string;
  scheduler: string;
  regret: number | null;
  deepestIteration: number;
  dollarsPerRegretReduction: number | null;
};

/** The run's summary with what only the benchmark knows (its optimum): regret, and dollars per unit of regret removed. */
export function simulationReport(run: SimulationRun, bench: Benchmark, head: { benchmark: string; searcher: string; scheduler: string }): SimulationReport {
  const best = run.summary.best;
  const regretOf = (metric: number) => (bench.mode === "min" ? metric - bench.optimum : bench.optimum - metric);
  const regret = best ? regretOf(best.metric) : null;
  // Dollars per unit of regret the run removed, from its first result (the regret of one untuned try) to its best.
  let first: { time: number; metric: number } | undefined;
  for (const trial of run.trials) {
    const r = trial.history[0];
    const metric = r?.metrics[bench.metric];
    if (r && metric !== undefined && (!first || r.time < first.time)) first = { time: r.time, metric };
  }
  const reduction = first && regret !== null ? regretOf(first.metric) - regret : 0;
  return {
    ...head,
    ...run.summary,
    // Regret is how far from the optimum, whichever the direction.
    regret,
    dollarsPerRegretReduction: reduction > 0 ? run.summary.costDollars / reduction : null,
    // How far the furthest-trained trial got: what tells a scheduler that promotes from one that never does.
    deepestIteration: run.trials.reduce((deepest, t) => Math.max(deepest, t.lastResult?.iteration ?? 0), 0),
  };
}
