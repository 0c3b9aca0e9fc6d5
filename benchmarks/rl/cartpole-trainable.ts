import type { Config, Objective, RandomStream, StepContext, StepOutcome } from "../../core/contracts/index.ts";
import { checkNumber, positiveInteger, positiveNumber } from "../../core/errors/index.ts";
import { loguniform, randint, uniform, type Space } from "../../core/space/index.ts";
import { initReinforce, meanRecentReturn, reinforceUpdate, type ReinforceHyperparams, type ReinforceState } from "./reinforce.ts";

export interface CartPoleOptions {
  /** Training episodes per step (one step = this many episodes, rounded to whole batches). @defaultValue 20 */
  episodesPerStep?: number;
  /** Hidden units of the policy and value nets. @defaultValue 16 */
  hidden?: number;
  /**
   * Simulated seconds charged per environment step when the simulator runs it
   * (`seconds` of the Objective). On the real backend time is measured instead.
   * @defaultValue 5e-6 (measured here: about 5.5 microseconds per step, rollout and update, on one loaded core)
   */
  secondsPerEnvStep?: number;
}

/** Target return of the benchmarks: CartPole-v1's "solved" threshold. */
export const CARTPOLE_SOLVED_RETURN = 475;

/** The four hyperparameters of the issue, with ranges where REINFORCE on CartPole both fails and succeeds. */
export const cartPoleSpace: Space = {
  lr: loguniform(1e-4, 1e-1),
  gamma: uniform(0.9, 0.999),
  entropy_coeff: uniform(0, 0.05),
  batch_episodes: randint(1, 17),
};

/**
 * CartPole trained by REINFORCE with a baseline, as a trainable: one step plays
 * and learns from about `episodesPerStep` episodes, and reports `mean_return`
 * (mean undiscounted return of the last 10 episodes, at most 500), `episodes`
 * and `env_steps`. It is an `Objective` (so also a `Trainable`): `tune()` runs
 * it for real, `simulate()` runs the same training with time charged per
 * environment step. Its state is plain data (weights, Adam moments, counters),
 * so checkpoints and PBT exploits move the real agent.
 */
export function cartPoleObjective(options: CartPoleOptions = {}): Objective<ReinforceState> {
  const episodesPerStep = positiveInteger("cartPole.episodesPerStep", options.episodesPerStep ?? 20);
  const hidden = positiveInteger("cartPole.hidden", options.hidden ?? 16);
  const secondsPerEnvStep = positiveNumber("cartPole.secondsPerEnvStep", options.secondsPerEnvStep ?? 5e-6);
  return {
    name: "cartpole-reinforce",
    metrics: ["mean_return", "episodes", "env_steps"],
    init(_config: Config, rng: RandomStream): ReinforceState {
      return initReinforce(hidden, rng);
    },
    step(state: ReinforceState, config: Config, context: StepContext): StepOutcome<ReinforceState> {
      const hp = hyperparams(config);
      const batches = Math.max(1, Math.round(episodesPerStep / hp.batchEpisodes));
      let envSteps = 0;
      for (let b = 0; b < batches; b++) envSteps += reinforceUpdate(state, hp, context.rng);
      return {
        metrics: { mean_return: meanRecentReturn(state), episodes: state.episodes, env_steps: state.envSteps },
        seconds: envSteps * secondsPerEnvStep,
        state,
      };
    },
  };
}

/** Reads the four hyperparameters; a PBT perturbation of batch_episodes is rounded to a whole episode count. */
export function hyperparams(config: Config): ReinforceHyperparams {
  return {
    lr: checkNumber("config.lr", config["lr"], { above: 0 }),
    gamma: checkNumber("config.gamma", config["gamma"], { min: 0, max: 1 }),
    entropyCoeff: checkNumber("config.entropy_coeff", config["entropy_coeff"], { min: 0 }),
    batchEpisodes: Math.max(1, Math.round(checkNumber("config.batch_episodes", config["batch_episodes"], { min: 1 }))),
  };
}
