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

/**
 * Speed-up of a step on `n` workers (GPUs, or CPUs for a CPU-only trial) over one.
 * - `amdahl`: a fraction `parallelFraction` of the step parallelises perfectly,
 *   the rest not at all: speed-up 1 / ((1 - p) + p / n) for n >= 1, and 1 below
 *   one worker (a fractional GPU is for a model that does not fill one GPU).
 * - `table`: measured speed-ups by worker count, linear between entries and
 *   held at the end values outside them (no extrapolated gain).
 */
export type ResourceScaling =
  | { readonly kind: "amdahl"; readonly parallelFraction: number }
  | { readonly kind: "table"; readonly speedup: Readonly<Record<string, number>> };

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
  /**
   * How a step's time scales with the trial's resources: `step`'s `seconds` is
   * the time on one worker (one GPU, or one CPU for a CPU-only trial), and the
   * simulator divides it by the speed-up for the resources the trial holds.
   * Absent: step time does not depend on resources.
   */
  readonly resourceScaling?: ResourceScaling;
  /**
   * True when `step` never modifies the state it is given (it returns a new
   * one) and nothing else holds on to a state to change it later. The
   * simulator's checkpoints then keep the state by reference instead of a
   * structuredClone at each save and restore: the same runs, without a copy per
   * rung pause (ASHA promotion, HyperBand) or PBT checkpoint. A state that cannot
   * be cloned then fails only when the whole simulation is saved.
   * @defaultValue false
   */
  readonly immutableState?: boolean;
  init(config: Config, rng: RandomStream): S;
  step(state: S, config: Config, context: StepContext): StepOutcome<S>;
}
