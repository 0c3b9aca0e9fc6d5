import type { Config, Objective, RandomStream, Resources, StepOutcome } from "../core/contracts/index.ts";

type MaybePromise<T> = T | Promise<T>;

/** What a real step knows: the simulator's StepContext, with the resources the trial holds. */
export interface TrainableStepContext {
  /** The iteration being computed, 1-based. */
  readonly iteration: number;
  readonly rng: RandomStream;
  readonly resources?: Resources;
}

/** A real step's outcome: the simulator's StepOutcome without `seconds` (real time is measured, not declared). */
export type TrainableOutcome<S> = Omit<StepOutcome<S>, "seconds"> & { readonly seconds?: number };

/**
 * A trainable that runs for real, derived from the simulator's `Objective`: the
 * same `name`, `init` and `step`, but both may be async, and `metrics` is
 * optional. Every Objective is therefore a Trainable, so one object can run in
 * both backends.
 */
export interface Trainable<S = unknown> extends Pick<Objective<S>, "name">, Partial<Pick<Objective<S>, "metrics">> {
  init(config: Config, rng: RandomStream): MaybePromise<S>;
  step(state: S, config: Config, context: TrainableStepContext): MaybePromise<TrainableOutcome<S>>;
  /**
   * With a `storagePath`, writes `state` into `dir` (a fresh, empty directory): model
   * weights, optimizer state, whatever a restore needs. Without it the state is
   * saved as state.json, which needs a plain-JSON state. Give both hooks or neither.
   */
  saveCheckpoint?(state: S, dir: string): void | Promise<void>;
  /** Reads back what `saveCheckpoint` wrote into `dir` (possibly another trial's: a PBT exploit). */
  loadCheckpoint?(dir: string): S | Promise<S>;
}
