import { OptionError } from "../../core/contracts/index.ts";
import type { Config, Objective, RandomStream, StepContext, StepOutcome } from "../../core/contracts/index.ts";
import { loguniform } from "../../core/space/index.ts";
import type { Benchmark } from "./learning-curve.ts";
import { nonNegativeOption, positiveOption } from "./_internals/option-checks.ts";

/** What the learner carries from step to step: its accuracy so far. */
export interface NoisyLrState {
  readonly accuracy: number;
}

export interface NoisyLrScheduleOptions {
  /** Accuracy at which the optimal learning rate peaks; the target is twice this. @defaultValue 100 */
  midpoint?: number;
  /** A learning rate more than this factor off the optimum learns nothing; above it, it unlearns. @defaultValue 3 */
  qTolerance?: number;
  /** Standard deviation of the Gaussian noise added to the accuracy every step. @defaultValue 2 */
  noiseLevel?: number;
  /** Optimal learning rate at its lowest and at its peak. @defaultValue [0.001, 0.01] */
  lrRange?: readonly [number, number];
  /** Simulated seconds per step. @defaultValue 1 */
  secondsPerStep?: number;
}

/**
 * Learning rate that learns fastest at accuracy `accuracy`: a triangle that rises
 * from lrLow to lrHigh as accuracy goes 0 -> midpoint and falls back by 2 * midpoint,
 * clamped to [lrLow, lrHigh].
 */
export function optimalLearningRate(accuracy: number, midpoint = 100, lrLow = 0.001, lrHigh = 0.01): number {
  const raw = accuracy < midpoint ? (lrHigh * accuracy) / midpoint : lrHigh - (lrHigh * (accuracy - midpoint)) / midpoint;
  return Math.min(lrHigh, Math.max(lrLow, raw));
}

/**
 * An RL-like learner in the shape of Ray Tune's `pbt_function` example. Each
 * step, with q = max(lr, lr*) / min(lr, lr*) the factor between the learning
 * rate and the optimum lr* (which rises, then falls, with progress):
 * - q < qTolerance: accuracy grows by U(0, 1) / q;
 * - lr too high beyond the tolerance: accuracy falls by (q - qTolerance) U(0, 1);
 * - lr too low beyond the tolerance: nothing is learned;
 * then N(0, noiseLevel^2) noise is added and accuracy is floored at 0. The
 * trainable reports `done` once accuracy exceeds 2 * midpoint (the target).
 * Any fixed learning rate stalls where lr* moves more than qTolerance away from
 * it (with the defaults, lr = 0.003 stalls near accuracy 30 / 170 and a
 * larger one unlearns at the start), so only a schedule reaches the target soon.
 */
export function noisyLrScheduleObjective(options: NoisyLrScheduleOptions = {}): Benchmark<NoisyLrState> {
  const midpoint = positiveOption(options.midpoint ?? 100, "noisyLrSchedule.midpoint");
  const qTolerance = positiveOption(options.qTolerance ?? 3, "noisyLrSchedule.qTolerance");
  const noiseLevel = nonNegativeOption(options.noiseLevel ?? 2, "noisyLrSchedule.noiseLevel");
  const seconds = nonNegativeOption(options.secondsPerStep ?? 1, "noisyLrSchedule.secondsPerStep");
  const [lrLow, lrHigh] = options.lrRange ?? [0.001, 0.01];
  if (!(lrLow > 0 && lrHigh >= lrLow && Number.isFinite(lrHigh))) {
    throw new OptionError("noisyLrSchedule.lrRange", `must be [low, high] with 0 < low <= high, got [${lrLow}, ${lrHigh}]`);
  }
  const target = 2 * midpoint;

  const objective: Objective<NoisyLrState> = {
    name: "noisy-lr-schedule",
    metrics: ["mean_accuracy", "optimal_lr", "q_err"],
    init(_config: Config, _rng: RandomStream): NoisyLrState {
      return { accuracy: 0 };
    },
    step(state: NoisyLrState, config: Config, context: StepContext): StepOutcome<NoisyLrState> {
      const lr = config["lr"];
      if (typeof lr !== "number" || !(lr > 0) || !Number.isFinite(lr)) {
        throw new OptionError("config.lr", `must be a positive finite number, got ${String(lr)}`);
      }
      const optimal = optimalLearningRate(state.accuracy, midpoint, lrLow, lrHigh);
      const qErr = Math.max(lr, optimal) / Math.min(lr, optimal);
      let accuracy = state.accuracy;
      if (qErr < qTolerance) accuracy += context.rng.next() / qErr;
      else if (lr > optimal) accuracy -= (qErr - qTolerance) * context.rng.next();
      accuracy = Math.max(0, accuracy + noiseLevel * context.rng.normal());
      return {
        metrics: { mean_accuracy: accuracy, optimal_lr: optimal, q_err: qErr },
        seconds,
        state: { accuracy },
        done: accuracy > target,
      };
    },
  };
  return {
    name: "noisy-lr-schedule",
    objective,
    // Ray's pbt_function example declares uniform(0.0001, 0.02); the step reads lr only through the
    // factor q to the optimum, so lr is a log-scale quantity: same range, log-uniform.
    space: { lr: loguniform(0.0001, 0.02) },
    optimum: target,
    metric: "mean_accuracy",
    mode: "max",
  };
}
