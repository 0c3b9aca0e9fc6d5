import type { Config, RandomStream } from "../core/contracts/index.ts";

export interface TrainableStepContext {
  /** The iteration being computed, 1-based. */
  readonly iteration: number;
  readonly rng: RandomStream;
}

/**
 * A trainable that runs for real, in this process: the same shape as the
 * simulator's `Objective` (so one object can run in both), but `step` may be
 * async and its duration is measured on the real clock, not declared.
 */
export interface Trainable<S = unknown> {
  readonly name: string;
  init(config: Config, rng: RandomStream): S | Promise<S>;
  step(
    state: S,
    config: Config,
    context: TrainableStepContext,
  ): { metrics: Record<string, number>; state: S; done?: boolean } | Promise<{ metrics: Record<string, number>; state: S; done?: boolean }>;
}
