import { ASHAScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { hartmann6 } from "../objectives/functions/index.ts";
import { learningCurveObjective } from "../objectives/learning-curve.ts";
import { simulate, type ClusterSpec, type SimulationSummary } from "../../simulator/index.ts";

/** The studies' fixed experiment: ASHA (grace 1, rf 4, max_t 100) with random search over Hartmann6 learning curves. */
export interface StudyRun {
  summary: SimulationSummary;
  regret: number;
  hours: number;
  /** Dollars per unit of regret removed, from the run's first result to its best. */
  dollarsPerRegretReduction: number;
}

/**
 * `epochSeconds`: seconds per iteration, cheapest to dearest config. The synthetic
 * default (1-3 s) makes a trial a few minutes; [60, 180] makes each iteration an
 * epoch of 1-3 minutes, so a 100-iteration trial takes hours as real training does.
 */
export function runAshaHartmann6(options: { seed: number; trials: number; cluster: ClusterSpec; epochSeconds: readonly [number, number]; checkpointFrequency: number }): StudyRun {
  const bench = learningCurveObjective(hartmann6, { maxIterations: 100, secondsRange: options.epochSeconds });
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: options.trials,
    seed: options.seed,
    searcher: new RandomSearch(bench.space, { metric: bench.metric, mode: bench.mode, seed: options.seed }),
    scheduler: new ASHAScheduler({ metric: bench.metric, mode: bench.mode, maxT: 100, gracePeriod: 1, reductionFactor: 4 }),
    cluster: options.cluster,
    checkpointFrequency: options.checkpointFrequency,
    maxFailures: 0,
  });
  const best = run.summary.best;
  if (!best) throw new Error("the study's run reported no result");
  let first: { time: number; metric: number } | undefined;
  for (const trial of run.trials) {
    const r = trial.history[0];
    const metric = r?.metrics[bench.metric];
    if (r && metric !== undefined && (!first || r.time < first.time)) first = { time: r.time, metric };
  }
  const reduction = first ? first.metric - best.metric : 0;
  return {
    summary: run.summary,
    regret: best.metric - bench.optimum,
    hours: run.summary.simulatedSeconds / 3600,
    dollarsPerRegretReduction: reduction > 0 ? run.summary.costDollars / reduction : Number.NaN,
  };
}
