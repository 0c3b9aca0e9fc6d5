import { OptionError } from "../../core/contracts/index.ts";
import type { Config, Mode, Objective, RandomStream, ResourceScaling, StepContext, StepOutcome } from "../../core/contracts/index.ts";
import { checkResourceScaling } from "../../core/resource-scaling.ts";
import { uniform } from "../../core/space/index.ts";
import type { Space } from "../../core/space/index.ts";
import { typicalGap } from "./_internals/typical-gap.ts";
import type { SyntheticFunction } from "./functions/index.ts";
import { nonNegativeOption } from "./_internals/option-checks.ts";

/** An objective with the space to search and what "best" means on it. */
export interface Benchmark<S = unknown> {
  readonly name: string;
  readonly objective: Objective<S>;
  readonly space: Space;
  /** Best reachable value of the noiseless limit of `metric` (for regret). */
  readonly optimum: number;
  readonly metric: string;
  readonly mode: Mode;
}

export interface LearningCurveOptions {
  /** Iteration at which the trainable reports `done`. @defaultValue 100 */
  maxIterations?: number;
  /** Time constants of learning, in iterations, fastest to slowest. @defaultValue [5, 40] */
  tauRange?: readonly [number, number];
  /** Simulated seconds per iteration, cheapest to dearest config. @defaultValue [1, 3] */
  secondsRange?: readonly [number, number];
  /** Smallest initial gap, as a fraction of `scale`. @defaultValue 0.5 */
  gapFraction?: number;
  /** Extra config-dependent initial gap, as a fraction of `scale` (the gap lies in gapFraction + [0, gapSpread]). @defaultValue 0.5 */
  gapSpread?: number;
  /** Noise standard deviation at iteration 1, as a fraction of `scale`; 0 turns noise off. @defaultValue 0.01 */
  noiseFraction?: number;
  /** Size of a typical distance from the optimum. @defaultValue median of f - optimum over 512 Halton points */
  scale?: number;
  /**
   * How step time scales with GPUs (CPUs for a CPU-only trial); `secondsRange` is the time on one.
   * @defaultValue DEFAULT_LEARNING_CURVE_SCALING (Amdahl, parallel fraction 0.9)
   */
  resourceScaling?: ResourceScaling;
}

/**
 * The learning-curve benchmarks stand for mid-sized networks trained data-parallel:
 * the gradient computation splits across GPUs, while the all-reduce, the input
 * pipeline and the optimizer step do not. A parallel fraction of 0.9 gives
 * speed-ups of 1.82, 3.08 and 4.71 on 2, 4 and 8 GPUs (59% efficiency at 8):
 * extra GPUs help with diminishing returns, the trade-off that makes moving
 * GPUs between trials a real decision. Below one GPU the step takes its
 * reference time (see ResourceScaling).
 */
export const DEFAULT_LEARNING_CURVE_SCALING: ResourceScaling = Object.freeze({ kind: "amdahl", parallelFraction: 0.9 });

/**
 * Everything `step` needs, precomputed per config so the hot path is a few
 * multiplications. Plain numbers only: checkpoints and PBT copy it verbatim.
 */
export interface LearningCurveState {
  /** Iterations done so far. */
  readonly t: number;
  /** Fraction of the initial gap still to learn: exp(-sum over past steps of 1/tau). */
  readonly remaining: number;
  /** Cheap fingerprint of the config the fields below belong to; a change (PBT) triggers a recompute. */
  readonly fingerprint: number;
  readonly f: number;
  readonly gap: number;
  /** exp(-1 / tau): one step's shrink of `remaining`. */
  readonly decay: number;
  readonly seconds: number;
}

/**
 * Turns a test function into a simulated trainable over config `{ x0, ..., x{d-1} }`.
 *
 * With a fixed config, iteration t (1-based) reports
 *
 *   loss_t = f(x) + gap(x) * exp(-t / tau(x)) + sigma / sqrt(t) * N(0, 1)
 *
 * - f(x): the limit the curve converges to, so the best config at full
 *   fidelity is the function's minimiser and regret is measurable (reported
 *   as metric `f`).
 * - gap(x) = scale * (gapFraction + gapSpread * g(x)): early iterations are
 *   clearly worse than the final value (what makes early stopping a bet), and
 *   the config-dependent part g in [0, 1] keeps the early ranking from being a
 *   shifted copy of the final one.
 * - tau(x) in tauRange (log-spaced): some configs learn fast, others slowly,
 *   independently of f, so low fidelity ranks configs informatively but not
 *   perfectly: a slow learner with a good limit looks bad at first.
 * - noise shrinking like 1/sqrt(t): a later result is a better estimate, as
 *   with a validation loss averaged over more training.
 * g, tau and the seconds per iteration are smooth (a sine of a weighted sum of
 * the unit-cube coordinates) so model-based searchers can learn them.
 *
 * Progress is stored as `remaining = prod exp(-1/tau_s)` over the steps taken,
 * which equals exp(-t/tau) for a fixed config and lets a PBT config change
 * keep what was learned: the new config continues from the same fraction of
 * its own gap. Coordinates outside the bounds (a PBT perturbation) are
 * clamped; non-numeric or non-finite ones throw.
 */
export function learningCurveObjective(
  fn: SyntheticFunction,
  options: LearningCurveOptions = {},
): Benchmark<LearningCurveState> {
  const owner = "learningCurveObjective";
  const maxIterations = options.maxIterations ?? 100;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new OptionError(`${owner}.maxIterations`, `must be an integer >= 1, got ${maxIterations}`);
  }
  const [tauMin, tauMax] = checkRange(options.tauRange ?? [5, 40], `${owner}.tauRange`);
  const [secondsMin, secondsMax] = checkRange(options.secondsRange ?? [1, 3], `${owner}.secondsRange`);
  const gapFraction = nonNegativeOption(options.gapFraction ?? 0.5, `${owner}.gapFraction`);
  const gapSpread = nonNegativeOption(options.gapSpread ?? 0.5, `${owner}.gapSpread`);
  const noiseFraction = nonNegativeOption(options.noiseFraction ?? 0.01, `${owner}.noiseFraction`);
  const resourceScaling = checkResourceScaling(`${owner}.resourceScaling`, options.resourceScaling ?? DEFAULT_LEARNING_CURVE_SCALING);
  const scale = options.scale ?? typicalGap(fn);
  if (!(scale > 0 && Number.isFinite(scale))) {
    throw new OptionError(`${owner}.scale`, `must be a positive finite number, got ${scale}`);
  }
  if (gapFraction + gapSpread <= 0) {
    throw new OptionError(`${owner}.gapFraction`, "gapFraction + gapSpread must be > 0 so early iterations are worse");
  }

  const d = fn.dimension;
  const keys = Array.from({ length: d }, (_, i) => `x${i}`);
  const lows = new Float64Array(d);
  const highs = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const [low, high] = fn.bounds[i] as readonly [number, number];
    lows[i] = low;
    highs[i] = high;
  }
  // Distinct weights per field so gap, tau and cost vary in different directions.
  const gapWeights = unitWeights(d, 0.5);
  const tauWeights = unitWeights(d, 0);
  const secondsWeights = unitWeights(d, 0.25);
  const fingerprintWeights = Float64Array.from({ length: d }, (_, i) => 1 + i * Math.SQRT2);
  const sigma = noiseFraction * scale;
  const logTauRatio = Math.log(tauMax / tauMin);
  // Reused across calls (never across an await): keeps recompute allocation-free.
  const clamped = new Float64Array(d);

  function fingerprintOf(config: Config): number {
    let fingerprint = 0;
    for (let i = 0; i < d; i++) {
      const value = config[keys[i] as string];
      fingerprint += (typeof value === "number" ? value : Number.NaN) * (fingerprintWeights[i] as number);
    }
    return fingerprint;
  }

  function profile(config: Config, t: number, remaining: number): LearningCurveState {
    let gapSum = 0;
    let tauSum = 0;
    let secondsSum = 0;
    for (let i = 0; i < d; i++) {
      const key = keys[i] as string;
      const value = config[key];
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new OptionError(`config.${key}`, `must be a finite number, got ${String(value)}`);
      }
      const low = lows[i] as number;
      const high = highs[i] as number;
      const x = Math.min(high, Math.max(low, value));
      clamped[i] = x;
      const u = (x - low) / (high - low);
      gapSum += u * (gapWeights[i] as number);
      tauSum += u * (tauWeights[i] as number);
      secondsSum += u * (secondsWeights[i] as number);
    }
    const f = fn.evaluate(clamped);
    const tau = tauMin * Math.exp(logTauRatio * smoothField(tauSum, 0.3));
    return {
      t,
      remaining,
      fingerprint: fingerprintOf(config),
      f,
      gap: scale * (gapFraction + gapSpread * smoothField(gapSum, 1.9)),
      decay: Math.exp(-1 / tau),
      seconds: secondsMin + (secondsMax - secondsMin) * smoothField(secondsSum, 4.1),
    };
  }

  const objective: Objective<LearningCurveState> = {
    name: fn.name,
    metrics: ["loss", "f"],
    resourceScaling,
    // `step` builds a new state and never writes to the one it is given: checkpoints may share it.
    immutableState: true,
    init(config: Config, _rng: RandomStream): LearningCurveState {
      return profile(config, 0, 1);
    },
    step(state: LearningCurveState, config: Config, context: StepContext): StepOutcome<LearningCurveState> {
      const current = fingerprintOf(config) === state.fingerprint ? state : profile(config, state.t, state.remaining);
      const t = current.t + 1;
      const remaining = current.remaining * current.decay;
      const noise = sigma > 0 ? (sigma / Math.sqrt(t)) * context.rng.normal() : 0;
      return {
        metrics: { loss: current.f + current.gap * remaining + noise, f: current.f },
        seconds: current.seconds,
        state: {
          t,
          remaining,
          fingerprint: current.fingerprint,
          f: current.f,
          gap: current.gap,
          decay: current.decay,
          seconds: current.seconds,
        },
        done: t >= maxIterations,
      };
    },
  };

  const space: Space = Object.fromEntries(keys.map((key, i) => [key, uniform(lows[i] as number, highs[i] as number)]));
  return { name: fn.name, objective, space, optimum: fn.optimum, metric: "loss", mode: "min" };
}

/**
 * A smooth map of the unit cube onto [0, 1]: a sine of a weighted coordinate
 * sum spanning 1.25 periods, so each field takes its whole range in the box.
 */
function smoothField(weightedSum: number, phase: number): number {
  return 0.5 + 0.5 * Math.sin(2 * Math.PI * 1.25 * weightedSum + phase);
}

/** Positive weights summing to 1, unequal across coordinates (golden-ratio offsets). */
function unitWeights(d: number, offset: number): Float64Array {
  const weights = Float64Array.from({ length: d }, (_, i) => 1 + ((offset + i * 0.6180339887) % 1));
  const total = weights.reduce((sum, w) => sum + w, 0);
  return weights.map((w) => w / total);
}

function checkRange(range: readonly [number, number], field: string): [number, number] {
  const [low, high] = range;
  if (!(low > 0 && high >= low && Number.isFinite(high))) {
    throw new OptionError(field, `must be [low, high] with 0 < low <= high < Infinity, got [${low}, ${high}]`);
  }
  return [low, high];
}
