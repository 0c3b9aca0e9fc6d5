import { PopulationBasedTraining } from "../../../algorithms/schedulers/index.ts";
import type { Config, Objective, Searcher } from "../../../core/contracts/index.ts";
import { uniform } from "../../../core/space/index.ts";
import { pbtToyObjective } from "../../../benchmarks/objectives/index.ts";
import { simulate, type SimulationRun } from "../../../simulator/index.ts";

/** Proposes the given configs in order, then "done". */
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

/** Jaderberg et al.'s toy: PBT over a population of two workers with h = (1, 0) and (0, 1), 200 steps. */
export function runToy(seed: number, scheduler?: PopulationBasedTraining): { run: SimulationRun; pbt: PopulationBasedTraining | undefined } {
  const bench = pbtToyObjective();
  const run = simulate({
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
    maxIterations: 200,
    scope: "all",
  });
  return { run, pbt: scheduler };
}

export function toyPbt(seed: number): PopulationBasedTraining {
  // The two workers step in lockstep, as in the paper: synchronous PBT, ready every 4 steps.
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

/** An objective that throws at iteration `failAt` of chosen trials (keyed by config.x), once each. */
export function flaky<S>(objective: Objective<S>, shouldFail: (config: Config, iteration: number) => boolean): Objective<S> {
  return {
    ...objective,
    name: `flaky-${objective.name}`,
    step: (state, config, ctx) => {
      if (shouldFail(config, ctx.iteration)) throw new Error("simulated worker crash");
      return objective.step(state, config, ctx);
    },
  };
}
