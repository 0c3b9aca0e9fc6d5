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
  /**
   * With a `storagePath`, writes `state` into `dir` (a fresh, empty directory): model
   * weights, optimizer state, whatever a restore needs. Without it the state is
   * saved as state.json, which needs a plain-JSON state. Give both hooks or neither.
   */
  saveCheckpoint?(state: S, dir: string): void | Promise<void>;
  /** Reads back what `saveCheckpoint` wrote into `dir` (possibly another trial's: a PBT exploit). */
  loadCheckpoint?(dir: string): S | Promise<S>;
}
