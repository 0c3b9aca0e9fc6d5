import type { Config } from "./result.ts";
import type { Resources } from "./trial-view.ts";

/** Seeded random source handed to objectives: uniform floats in [0, 1). */
export interface RandomStream {
  next(): number;
  /** Standard normal draw. */
  normal(): number;
}

export interface StepContext {
  /** The iteration being computed, 1-based. */
  readonly iteration: number;
  readonly rng: RandomStream;
  readonly resources: Resources;
}

export interface StepOutcome<S> {
  readonly metrics: Record<string, number>;
  /** Seconds this step takes on `resources` (simulated time). */
  readonly seconds: number;
  readonly state: S;
  /** The trainable finished on its own (reached its target or its last epoch). */
  readonly done?: boolean;
}

/**
 * A simulated trainable. `init` once per fresh trial; `step` once per iteration
 * with the config in force then (PBT may change it between steps), so state can
 * depend on the whole hyperparameter schedule. State must be plain data
 * (structuredClone-able): checkpoints copy it when saved and again when
 * restored, so save, restore and PBT exploit are exact even for an objective
 * that updates its state in place.
 */
export interface Objective<S = unknown> {
  readonly name: string;
  /** Metrics that `step` reports, for validation of `metric` options. */
  readonly metrics: readonly string[];
  /** Seconds a fresh actor needs before its first step (framework + GPU init); default from the cluster. */
  readonly startupSeconds?: number;
  /** Seconds to save / restore one checkpoint of this objective's state; defaults from the cluster. */
  readonly checkpointSeconds?: number;
  readonly restoreSeconds?: number;
  init(config: Config, rng: RandomStream): S;
  step(state: S, config: Config, context: StepContext): StepOutcome<S>;
}
