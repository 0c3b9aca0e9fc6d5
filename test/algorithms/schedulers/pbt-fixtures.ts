import type { PopulationBasedTraining } from "../../../algorithms/schedulers/index.ts";
import { runPbtToy } from "../../../benchmarks/papers/pbt-toy.ts";
import type { Config, Objective } from "../../../core/contracts/index.ts";
import type { SimulationRun } from "../../../simulator/index.ts";

export { fixedConfigs, toyPbt } from "../../../benchmarks/papers/pbt-toy.ts";

/** Jaderberg et al.'s toy (benchmarks/papers/pbt-toy.ts), returning the scheduler alongside the run for inspection. */
export function runToy(seed: number, scheduler?: PopulationBasedTraining): { run: SimulationRun; pbt: PopulationBasedTraining | undefined } {
  return { run: runPbtToy(seed, scheduler), pbt: scheduler };
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
