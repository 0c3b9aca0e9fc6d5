import { OptionError } from "../../core/contracts/index.ts";
import type { Config, Objective, RandomStream, StepContext, StepOutcome } from "../../core/contracts/index.ts";
import { loguniform, randint, uniform } from "../../core/space/index.ts";
import type { Benchmark } from "./learning-curve.ts";
import { nonNegativeOption, positiveOption } from "./_internals/option-checks.ts";

/** A simulated policy-optimisation run: plain numbers, copied exactly by checkpoints and exploits. */
export interface RlReturnState {
  /** Fraction of the achievable return learned, in [0, 1). */
  readonly progress: number;
  /** Environment steps consumed so far. */
  readonly timesteps: number;
  /** This run's luck (seed-to-seed variance): a multiplier of its learning speed, drawn at init. */
  readonly aptitude: number;
  readonly collapses: number;
}

export interface RlReturnOptions {
  /** Return of a fully trained policy. @defaultValue 500 */
  maxReturn?: number;
  /** Scale of the heavy-tailed (Student t, 3 dof) return noise at batch 4000. @defaultValue 25 */
  noiseScale?: number;
  /** Standard deviation of log aptitude across seeds. @defaultValue 0.35 */
  aptitudeSpread?: number;
}

/** The PB2 paper's PPO ranges, plus an entropy coefficient. */
export const RL_RETURN_BOUNDS = {
  lr: [1e-5, 1e-3],
  clip_param: [0.1, 0.5],
  lambda: [0.9, 1.0],
  train_batch_size: [1000, 60000],
  entropy_coeff: [0, 0.01],
} as const;

/**
 * Update size (in units of lr = 1e-4, clip = 0.2) that learns fastest at `progress`:
 * large early, small late, so a decaying learning rate beats any fixed one.
 */
export function optimalUpdateSize(progress: number): number {
  return 3 * (1 - progress) ** 1.5 + 0.3;
}

/**
 * A simulated PPO return curve over lr, clip_param, lambda, train_batch_size and
 * entropy_coeff. Per iteration, with u = (lr / 1e-4) (clip / 0.2) the update size
 * and q = u / optimalUpdateSize(progress):
 * - progress grows by 0.02 * eff(q) * eff(lambda) * eff(entropy) * (batch / 4000)^0.6
 *   * aptitude * (cap - progress), where eff(q) is a log-normal bump around q = 1,
 *   lambda is best near 0.96, and too little entropy lowers the plateau `cap`
 *   (premature convergence) while too much slows learning;
 * - an update too large (q > 1.5) collapses the policy with a probability that grows
 *   with q and with progress (late training is fragile): progress drops to 30-70%;
 * - the reported return is maxReturn * progress plus Student-t (3 dof) noise whose
 *   scale shrinks like 1/sqrt(batch): heavy tails, occasional wild episodes;
 * - each run draws an aptitude exp(N(0, spread^2)) at init: large seed-to-seed variance;
 * - an iteration takes 4 + batch / 2000 seconds: larger batches cost more time.
 * Values outside the bounds (a PBT perturbation) are clamped.
 */
export function rlReturnObjective(options: RlReturnOptions = {}): Benchmark<RlReturnState> {
  const maxReturn = positiveOption(options.maxReturn ?? 500, "rlReturn.maxReturn");
  const noiseScale = nonNegativeOption(options.noiseScale ?? 25, "rlReturn.noiseScale");
  const aptitudeSpread = nonNegativeOption(options.aptitudeSpread ?? 0.35, "rlReturn.aptitudeSpread");

  const objective: Objective<RlReturnState> = {
    name: "rl-return",
    metrics: ["episode_reward_mean", "timesteps_total", "collapses"],
    init(_config: Config, rng: RandomStream): RlReturnState {
      return { progress: 0, timesteps: 0, aptitude: Math.exp(aptitudeSpread * rng.normal()), collapses: 0 };
    },
    step(state: RlReturnState, config: Config, context: StepContext): StepOutcome<RlReturnState> {
      const lr = bounded(config, "lr");
      const clip = bounded(config, "clip_param");
      const lambda = bounded(config, "lambda");
      const batch = bounded(config, "train_batch_size");
      const entropy = bounded(config, "entropy_coeff");
      const rng = context.rng;

      let progress = state.progress;
      const q = ((lr / 1e-4) * (clip / 0.2)) / optimalUpdateSize(progress);
      const logQ = Math.log(q) / 0.9;
      const updateEfficiency = Math.exp(-0.5 * logQ * logQ);
      const lambdaEfficiency = 0.4 + 0.6 * Math.exp(-(((lambda - 0.96) / 0.04) ** 2));
      const entropyEfficiency = 1 / (1 + entropy / 0.01);
      const cap = 0.75 + 0.25 * Math.min(1, entropy / 0.003);
      const dataFactor = (batch / 4000) ** 0.6;
      const gain = 0.02 * updateEfficiency * lambdaEfficiency * entropyEfficiency * dataFactor * state.aptitude;
      progress += Math.min(1, gain) * Math.max(0, cap - progress);

      let collapses = state.collapses;
      if (q > 1.5) {
        const chance = Math.min(0.5, 0.03 * (q - 1.5) * (0.5 + progress));
        if (rng.next() < chance) {
          progress *= 0.3 + 0.4 * rng.next();
          collapses++;
        }
      }

      const noise = (noiseScale / Math.sqrt(batch / 4000)) * studentT3(rng);
      const timesteps = state.timesteps + Math.round(batch);
      return {
        metrics: { episode_reward_mean: maxReturn * progress + noise, timesteps_total: timesteps, collapses },
        seconds: 4 + batch / 2000,
        state: { progress, timesteps, aptitude: state.aptitude, collapses },
      };
    },
  };
  const b = RL_RETURN_BOUNDS;
  return {
    name: "rl-return",
    objective,
    space: {
      lr: loguniform(b.lr[0], b.lr[1]),
      clip_param: uniform(b.clip_param[0], b.clip_param[1]),
      lambda: uniform(b.lambda[0], b.lambda[1]),
      train_batch_size: randint(b.train_batch_size[0], b.train_batch_size[1]),
      entropy_coeff: uniform(b.entropy_coeff[0], b.entropy_coeff[1]),
    },
    optimum: maxReturn,
    metric: "episode_reward_mean",
    mode: "max",
  };
}

/** Student t with 3 degrees of freedom: a normal over sqrt(chi^2_3 / 3). */
function studentT3(rng: RandomStream): number {
  const z = rng.normal();
  let chi2 = 0;
  for (let i = 0; i < 3; i++) chi2 += rng.normal() ** 2;
  return z / Math.sqrt(Math.max(chi2, 1e-12) / 3);
}

function bounded(config: Config, key: keyof typeof RL_RETURN_BOUNDS): number {
  const value = config[key];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new OptionError(`config.${key}`, `must be a finite number, got ${String(value)}`);
  }
  const [low, high] = RL_RETURN_BOUNDS[key];
  return Math.min(high, Math.max(low, value));
}
