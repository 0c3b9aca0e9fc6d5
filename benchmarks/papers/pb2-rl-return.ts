import { PB2, PopulationBasedTraining, boundsFromSpace, integerKeysFromSpace, mutationsFromSpace } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import type { Scheduler, TrialView } from "../../core/contracts/index.ts";
import { TimeoutStopper } from "../../core/stoppers/index.ts";
import { simulate } from "../../simulator/index.ts";
import { mannWhitneyU, median } from "../stats/index.ts";
import { rlReturnObjective } from "../objectives/rl-return.ts";
import type { PaperCheckOptions, PaperCheck } from "./paper-check.ts";

const POPULATION = 4;
/** compare-pbt's rl-return setting: 3,000 simulated seconds on 4 GPUs, a perturbation every 120 s, return averaged over the last 5 results. */
const SECONDS = 3000;
const INTERVAL = 120;
const WINDOW = 5;

function finalReturn(trials: readonly TrialView[], metric: string): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const trial of trials) {
    const last = trial.history.slice(-WINDOW);
    if (last.length > 0) best = Math.max(best, last.reduce((s, r) => s + (r.metrics[metric] as number), 0) / last.length);
  }
  return best;
}

function runOnce(seed: number, method: "pbt" | "pb2"): number {
  const bench = rlReturnObjective();
  const scheduler: Scheduler =
    method === "pbt"
      ? new PopulationBasedTraining({ metric: bench.metric, mode: bench.mode, seed, perturbationInterval: INTERVAL, hyperparamMutations: mutationsFromSpace(bench.space) })
      : new PB2({
          metric: bench.metric,
          mode: bench.mode,
          seed,
          perturbationInterval: INTERVAL,
          hyperparamBounds: boundsFromSpace(bench.space),
          integerHyperparams: integerKeysFromSpace(bench.space),
        });
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: POPULATION,
    seed,
    searcher: new RandomSearch(bench.space, { metric: bench.metric, mode: bench.mode, seed }),
    scheduler,
    cluster: { gpus: POPULATION },
    maxIterations: null,
    stoppers: [new TimeoutStopper(SECONDS)],
  });
  return finalReturn(run.trials, bench.metric);
}

export interface Pb2Measurement {
  seeds: number;
  pb2Median: number;
  pbtMedian: number;
  /** Two-sided Mann-Whitney U p-value of PB2 against PBT over the seeds. */
  p: number;
}

/** Parker-Holder et al. 2020: PB2 and PBT, population 4, the same seeds (each seed draws the same initial population for both). */
export function measurePb2(options: PaperCheckOptions = {}): Pb2Measurement {
  const seeds = options.seeds ?? 100;
  const pb2 = Array.from({ length: seeds }, (_, seed) => runOnce(seed, "pb2"));
  const pbt = Array.from({ length: seeds }, (_, seed) => runOnce(seed, "pbt"));
  return { seeds, pb2Median: median(pb2), pbtMedian: median(pbt), p: mannWhitneyU(pb2, pbt).p };
}

export const pb2Checks: PaperCheck<Pb2Measurement>[] = [
  {
    id: "pb2.rl-return",
    paper: "Parker-Holder et al. 2020, PB2",
    quantity: "PB2 vs PBT, population 4, rl-return: median final return",
    paperValue: "PB2 >= PBT",
    comparison: { kind: "test", rule: "not worse: PB2 median >= PBT's, or Mann-Whitney p >= 0.05" },
    measurement: "pb2",
    ours: (m) => ({
      value: `${m.pb2Median.toFixed(1)} vs ${m.pbtMedian.toFixed(1)} (p=${m.p.toFixed(3)}, ${m.seeds} seeds)`,
      pass: m.pb2Median >= m.pbtMedian || m.p >= 0.05,
    }),
  },
];
