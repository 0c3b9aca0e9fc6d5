import { PopulationBasedTraining } from "../../algorithms/schedulers/index.ts";
import type { Config, Searcher } from "../../core/contracts/index.ts";
import { uniform } from "../../core/space/index.ts";
import { simulate, type SimulationRun } from "../../simulator/index.ts";
import { pbtToyClosedForm, pbtToyObjective } from "../objectives/pbt-toy.ts";
import type { PaperCheck } from "./paper-check.ts";

const STEPS = 200;
const SEEDS = 10;

/** Proposes the given configs in order, then "done" (the paper's fixed population). */
export function fixedConfigs(configs: readonly Config[]): Searcher {
  let next = 0;
  return {
    suggest: () => (next < configs.length ? structuredClone(configs[next++] as Config) : "done"),
    onTrialComplete: () => {},
    save: () => next,
    restore: (state) => {
      next = state as number;
    },
  };
}

/** The paper's PBT: both workers step in lockstep, so synchronous PBT, exploit/explore every 4 steps. */
export function toyPbt(seed: number): PopulationBasedTraining {
  return new PopulationBasedTraining({
    metric: "Q",
    mode: "max",
    seed,
    timeAttr: "training_iteration",
    perturbationInterval: 4,
    synch: true,
    hyperparamMutations: { h0: uniform(0, 1), h1: uniform(0, 1) },
  });
}

/** Jaderberg et al.'s toy: two workers with h = (1, 0) and (0, 1), 200 steps; without a scheduler it is the grid baseline. */
export function runPbtToy(seed: number, scheduler?: PopulationBasedTraining): SimulationRun {
  const bench = pbtToyObjective();
  return simulate({
    objective: bench.objective,
    space: bench.space,
    metric: "Q",
    mode: "max",
    trials: 2,
    seed,
    searcher: fixedConfigs([
      { h0: 1, h1: 0 },
      { h0: 0, h1: 1 },
    ]),
    ...(scheduler ? { scheduler } : {}),
    cluster: { gpus: 2 },
    maxIterations: STEPS,
    scope: "all",
  });
}

function bestQ(seed: number, pbt: boolean): number {
  const run = runPbtToy(seed, pbt ? toyPbt(seed) : undefined);
  return Math.max(...run.trials.flatMap((t) => t.history.map((r) => r.metrics["Q"] as number)));
}

export interface PbtToyMeasurement {
  /** Grid search (h fixed) best Q after 200 steps; deterministic. */
  grid: number;
  /** Lowest, over 10 seeds, of PBT's best Q within 200 steps. */
  pbtWorstSeed: number;
}

/** Jaderberg et al. 2017, Fig. 2: theta from (0.9, 0.9), step size 0.01, 200 steps. */
export function measurePbtToy(): PbtToyMeasurement {
  const grid = bestQ(0, false);
  const pbt = Array.from({ length: SEEDS }, (_, seed) => bestQ(seed, true));
  return { grid, pbtWorstSeed: Math.min(...pbt) };
}

const paper = "Jaderberg et al. 2017, PBT, Fig. 2 (toy)";
export const pbtToyChecks: PaperCheck<PbtToyMeasurement>[] = [
  {
    id: "pbt-toy.grid",
    paper,
    quantity: `grid search best Q, ${STEPS} steps (limit 0.39; closed form ${pbtToyClosedForm(1, 0, STEPS).toFixed(4)})`,
    paperValue: 0.39,
    comparison: { kind: "within", tolerance: 0.005 },
    measurement: "pbt-toy",
    ours: (m) => ({ value: Number(m.grid.toFixed(4)) }),
  },
  {
    id: "pbt-toy.pbt",
    paper,
    quantity: `PBT best Q within ${STEPS} steps, worst of ${SEEDS} seeds`,
    paperValue: 1.1,
    comparison: { kind: "at-least" },
    measurement: "pbt-toy",
    ours: (m) => ({ value: Number(m.pbtWorstSeed.toFixed(4)) }),
  },
];
