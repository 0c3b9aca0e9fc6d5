import type { Rng } from "../../../core/rng.ts";
import type { KernelMemo, ParzenMemo, SortedColumn, WeightsMemo } from "./kernel-memo.ts";
import { FLOOR_NEIGHBOURS, keptBoundedLogPdf, type KeptWindow } from "./bad-group-pass.ts";
import { lowerBound, upperBound } from "./range-search.ts";
import { truncnormLogBinMass, truncnormLogPdf, truncnormQuantile } from "./truncnorm.ts";

/**
 * A (multivariate) Parzen estimator in the shape of Optuna 3.x's `_ParzenEstimator`:
 * a mixture with one component per observation plus a prior component, each a product
 * of per-parameter kernels. Numeric parameters use normals truncated to the parameter's
 * bounds (binned to steps of `step` for quantized ones); categorical parameters use a
 * smoothed distribution over the choices. It exposes only `sample` and `logPdf`.
 *
 * Inputs are internal values: log-domain parameters are already in log space, and
 * quantized bounds are already widened by half a step (see `tpe/parameters.ts`).
 */
export type ParzenParameter =
  | { readonly kind: "numeric"; readonly low: number; readonly high: number; readonly step: number | null }
  | { readonly kind: "categorical"; readonly choices: number };

export interface ParzenSettings {
  /** @defaultValue true */
  readonly considerPrior: boolean;
  /** @defaultValue 1 */
  readonly priorWeight: number;
  /** @defaultValue true */
  readonly considerMagicClip: boolean;
  /** @defaultValue false */
  readonly considerEndpoints: boolean;
  /** Joint kernels with Scott's-rule bandwidths instead of per-parameter neighbour gaps. */
  readonly multivariate: boolean;
  /** Weight of each observation, oldest first (Optuna's `weights`). */
  readonly weights: (n: number) => Float64Array;
  /**
   * How `logPdf` weighs the components. "normalized": by the mixture weights (a textbook
   * Parzen density). "bandwidth-weighted": by the mixture weights times the product of the
   * component's bandwidths over continuous parameters, renormalised; this is exactly what Optuna 3.1's
   * `_truncnorm.logpdf` computes (it omits -log(scale)) up to a constant factor, which
   * cancels in TPE's argmax of l(x)/g(x). Sampling always uses the mixture weights.
   * @defaultValue "normalized"
   */
  readonly scoring?: "normalized" | "bandwidth-weighted";
  /**
   * Bandwidth rule for continuous and quantized kernels. "optuna": Optuna's rule, the larger
   * gap to the sorted neighbours (univariate) or 0.2 n^(-1/(d+4)) of the range (multivariate).
   * "scott": 1.059 min(IQR/1.34, sd) m^(-1/5) over the m kernel centres, prior centre included
   * (Scott's rule as in Watanabe 2023, section 3.4); one bandwidth for every component.
   * Either way the result is then clipped (magic clip). @defaultValue "optuna"
   */
  readonly bandwidth?: "optuna" | "scott";
  /**
   * Magic clip floor: sigma >= range * max(minBandwidthFactor, (1 + components)^-magicClipExponent),
   * components counting the prior (Watanabe 2023's alpha and b_min). Optuna is exponent 1 with
   * factor 0.01, i.e. range / min(100, 1 + components). @defaultValue 1
   */
  readonly magicClipExponent?: number;
  /** @defaultValue 0.01 */
  readonly minBandwidthFactor?: number;
}

/** Bandwidth floor without the magic clip. */
export const EPS = 1e-12;
/** Optuna's SIGMA0_MAGNITUDE: multivariate bandwidth is 0.2 n^(-1/(d+4)) times the range. */
const SIGMA0_MAGNITUDE = 0.2;

/** Optuna's default_gamma: how many of n observations form the "below" (good) group. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Good-group size ceil(beta n), capped at 25 (Optuna's rule is beta = 0.1). Watanabe 2023
 * calls this the "linear" split; a larger beta explores more.
 */
export function linearGamma(beta: number, cap = 25): (n: number) => number {
  if (!(beta > 0 && beta <= 1)) throw new RangeError(`linearGamma: beta must be in (0, 1], got ${beta}`);
  return (n) => Math.min(Math.ceil(beta * n), cap);
}

/** Good-group size ceil(beta sqrt(n)), capped at 25 (Watanabe 2023's "sqrt" split, Hyperopt's rule with beta = 0.25). */
export function sqrtGamma(beta: number, cap = 25): (n: number) => number {
  if (!(beta > 0)) throw new RangeError(`sqrtGamma: beta must be > 0, got ${beta}`);
  return (n) => Math.min(Math.ceil(beta * Math.sqrt(n)), cap);
}

/** Every observation weighs the same (Watanabe 2023's "uniform" weighting). */
export function uniformWeights(n: number): Float64Array {
  return new Float64Array(n).fill(1);
}

/** Optuna's default_weights: flat for the newest 25, a linear ramp from 1/n for older ones. */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n < 25) return w;
  const rampLength = n - 25;
  for (let i = 0; i < rampLength; i++) {
    // np.linspace(1/n, 1, n - 25)
    w[i] = rampLength === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (rampLength - 1);
  }
  return w;
}

/**
 * The normalised mixture weights of an estimator of n observations (observations oldest
 * first, then the prior) and their logs, from the suggestion's memo where another
 * estimator of the same n and rule already computed them.
 */
export function mixtureWeights(n: number, settings: ParzenSettings, memo?: WeightsMemo): { weights: Float64Array; logWeights: Float64Array } {
  const considerPrior = settings.considerPrior || n === 0;
  const components = n + (considerPrior ? 1 : 0);
  const known = memo?.find(n, settings.weights, considerPrior, settings.priorWeight);
  if (known) return known;
  const weights = new Float64Array(components);
  const raw = settings.weights(n);
  for (let i = 0; i < n; i++) {
    const w = raw[i] ?? 0;
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`weights(${n}) returned ${w}: weights must be finite and >= 0`);
    weights[i] = w;
  }
  if (considerPrior) weights[n] = settings.priorWeight;
  let total = 0;
  for (let i = 0; i < components; i++) total += weights[i] as number;
  for (let i = 0; i < components; i++) weights[i] = (weights[i] as number) / total;
  const logWeights = new Float64Array(components);
  for (let c = 0; c < components; c++) logWeights[c] = Math.log(weights[c] as number);
  memo?.keep({ n, rule: settings.weights, considerPrior, priorWeight: settings.priorWeight, weights, logWeights });
  return { weights, logWeights };
}

interface NumericKernels {
  readonly kind: "numeric";
  readonly low: number;
  readonly high: number;
  readonly step: number | null;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  readonly inverseSigmas: Float64Array;
  /** log of each component's truncation mass plus log sigma, precomputed for logPdf. */
  readonly logNormalizers: Float64Array;
  /** log of each sigma (bandwidth-weighted scoring). */
  readonly logSigmas: Float64Array;
  /** Component indices by ascending centre, ties by index, where the bandwidth rule sorted them anyway. */
  readonly order: Uint32Array | undefined;
}

interface CategoricalKernels {
  readonly kind: "categorical";
  readonly choices: number;
  /** components x choices, row-normalised. */
  readonly probabilities: Float64Array;
  readonly logProbabilities: Float64Array;
}

export class ParzenEstimator {
  /** Normalised mixture weights, observations first, then the prior. */
  readonly weights: Float64Array;
  /** The mixture weights' logs before bandwidth weighting (the log weights of "normalized" scoring). */
  private readonly baseLogWeights: Float64Array;
  private readonly bandwidthWeighted: boolean;
  /** The scoring's log weights, computed on first use (`logWeights`): the bounds need only their sum. */
  private exactLogWeights: Float64Array | undefined;
  private readonly kernels: ReadonlyArray<NumericKernels | CategoricalKernels>;
  /** The window of `windowedLogPdf`, built on its first use (null: not worth it for this estimator). */
  private window: ContinuousWindow | null | undefined;
  /** The exact window's ceiling (see ContinuousWindow), on first use. */
  private ceiling: number | undefined;
  /** What `logPdfBounds` reads, on first use (null: no bounds). */
  private bounded: KeptWindow | null | undefined;

  /**
   * @param observations one column per parameter, all the same length n, oldest first.
   * @param memo what may be reused from earlier estimators (see kernel-memo.ts); it changes no output.
   */
  constructor(
    observations: readonly Float64Array[],
    readonly parameters: readonly ParzenParameter[],
    settings: ParzenSettings,
    memo?: ParzenMemo,
  ) {
    const n = observations[0]?.length ?? 0;
    const considerPrior = settings.considerPrior || n === 0;
    const mixture = mixtureWeights(n, settings, memo?.weights);
    this.weights = mixture.weights;
    const baseLogWeights = mixture.logWeights;

    const sigma0 = settings.multivariate ? SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (parameters.length + 4)) : 0;
    this.kernels = parameters.map((parameter, p) => {
      const column = observations[p] ?? new Float64Array(0);
      if (parameter.kind === "categorical") return categoricalKernels(column, parameter.choices, considerPrior, settings.priorWeight);
      return numericKernels(column, parameter, considerPrior, settings, sigma0, memo?.ids, memo?.kernels[p], memo?.sorted?.[p]);
    });
    this.baseLogWeights = baseLogWeights;
    this.bandwidthWeighted = settings.scoring === "bandwidth-weighted";
  }

  /** The log weights `logPdf` scores components with. */
  private get logWeights(): Float64Array {
    if (this.exactLogWeights !== undefined) return this.exactLogWeights;
    if (!this.bandwidthWeighted) return (this.exactLogWeights = this.baseLogWeights);
    const logWeights = this.baseLogWeights.slice();
    const components = logWeights.length;
    for (const kernel of this.kernels) {
      // Optuna 3.1 scores quantized parameters by bin masses, which carry no scale term.
      if (kernel.kind !== "numeric" || kernel.step !== null) continue;
      const logSigmas = kernel.logSigmas;
      for (let c = 0; c < components; c++) logWeights[c] = (logWeights[c] as number) + (logSigmas[c] as number);
    }
    const total = logSumExp(logWeights);
    for (let c = 0; c < components; c++) logWeights[c] = (logWeights[c] as number) - total;
    return (this.exactLogWeights = logWeights);
  }

  /** `size` draws; one column per parameter. */
  sample(rng: Rng, size: number): Float64Array[] {
    const active = new Int32Array(size);
    for (let s = 0; s < size; s++) active[s] = pickIndex(this.weights, rng.next());
    return this.kernels.map((kernel) => {
      const column = new Float64Array(size);
      for (let s = 0; s < size; s++) {
        const c = active[s] as number;
        if (kernel.kind === "categorical") {
          column[s] = pickIndex(kernel.probabilities.subarray(c * kernel.choices, (c + 1) * kernel.choices), rng.next());
        } else {
          const mu = kernel.mus[c] as number;
          const sigma = kernel.sigmas[c] as number;
          const z = truncnormQuantile(rng.next(), (kernel.low - mu) / sigma, (kernel.high - mu) / sigma);
          column[s] = roundToStep(mu + sigma * z, kernel);
        }
      }
      return column;
    });
  }

  /** log density (log mass for quantized and categorical parameters) of each sample. */
  logPdf(samples: readonly Float64Array[]): Float64Array {
    const windowed = this.windowed();
    if (windowed !== null) {
      const window = this.window as ContinuousWindow;
      const logWeights = this.logWeights;
      if (this.ceiling === undefined) this.ceiling = exactCeiling(windowed, logWeights, window);
      if (Number.isFinite(this.ceiling)) return windowedLogPdf(samples[0] as Float64Array, windowed, logWeights, window, this.ceiling, EXACT_MARGIN);
    }
    const size = samples[0]?.length ?? 0;
    const out = new Float64Array(size);
    const perComponent = new Float64Array(this.weights.length);
    for (let s = 0; s < size; s++) {
      perComponent.set(this.logWeights);
      for (let p = 0; p < this.kernels.length; p++) {
        const kernel = this.kernels[p] as NumericKernels | CategoricalKernels;
        const x = (samples[p] as Float64Array)[s] as number;
        // One small function per kernel kind keeps each loop monomorphic (issue 14: 5x at n = 2000).
        if (kernel.kind === "categorical") addCategorical(perComponent, kernel, x);
        else if (kernel.step === null) addContinuous(perComponent, kernel, x);
        else addQuantized(perComponent, kernel, x);
      }
      out[s] = logSumExp(perComponent);
    }
    return out;
  }

  /**
   * Bounds on `logPdf` from fewer components, where that is cheaper (a single continuous
   * kernel with a window; null otherwise): for each sample, logPdf lies in
   * [value - rounding, value + bound + rounding], `rounding` a few ulps of the sums (see
   * best-candidate.ts, which adds a generous allowance). `tight`: more components
   * evaluated, a bound about 1e-4 times as large (for the few candidates still in doubt). Used to find which candidates can
   * be TPE's argmax before computing any logPdf exactly (issue 14).
   */
  logPdfBounds(samples: readonly Float64Array[], tight = false): { value: Float64Array; bound: Float64Array } | null {
    const windowed = this.windowed();
    if (windowed === null) return null;
    const xs = samples[0] as Float64Array;
    if (this.bounded === undefined) this.bounded = boundedWindow(windowed, this.weights, this.baseLogWeights, this.bandwidthWeighted, this.window as ContinuousWindow);
    if (this.bounded === null) return null;
    const bound = new Float64Array(xs.length);
    const value = keptBoundedLogPdf(xs, this.bounded, tight, bound);
    return { value, bound };
  }

  /** The kernel whose window `logPdf` uses (building the window on first use), or null for the plain loop. */
  private windowed(): NumericKernels | null {
    const only = this.kernels.length === 1 ? (this.kernels[0] as NumericKernels | CategoricalKernels) : undefined;
    if (only === undefined || only.kind !== "numeric" || only.step !== null || this.weights.length < WINDOW_MIN_COMPONENTS) return null;
    if (this.window === undefined) this.window = buildWindow(only);
    return this.window === null ? null : only;
  }
}

/**
 * The exact window's margin: components scoring below the best evaluated one minus this
 * are neither the maximum nor a term of the log-sum-exp (which drops gaps below -40; 1 covers rounding).
 */
const EXACT_MARGIN = 41;

/** Below this many components the plain loop is as fast as the window. */
export const WINDOW_MIN_COMPONENTS = 64;

/**
 * What `windowedLogPdf` needs of one continuous kernel: the "narrow" components
 * (bandwidth <= `reach`) sorted by centre, the others ("wide", the prior among
 * them). `windowedLogPdf` also takes the ceiling (`exactCeiling`), the largest log weight
 * minus log normaliser of a narrow component: no narrow component scores above it (its
 * quadratic term only subtracts).
 */
interface ContinuousWindow {
  readonly reach: number;
  readonly narrowCentres: Float64Array;
  /** By the narrow order: 1 / bandwidth. */
  readonly narrowInverseSigmas: Float64Array;
  readonly narrowIds: Int32Array;
  readonly wideIds: Int32Array;
  readonly scores: Float64Array;
  /** One bit per component: evaluated for the current point (summed in index order). */
  readonly taken: Uint32Array;
}

/** Multiples of the smallest bandwidth tried as the window's reach. */
export const REACH_FACTORS = [1, 1.25, 1.5, 2, 3, 4, 8];

/** The first REACH_FACTORS multiple of `smallest` that a bandwidth `sigma` is no wider than (-1: none). */
export function reachCategory(sigma: number, smallest: number): number {
  for (let f = 0; f < REACH_FACTORS.length; f++) if (sigma <= smallest * (REACH_FACTORS[f] as number)) return f;
  return -1;
}

/** Counts a component of bandwidth `sigma` in `within`, at its `reachCategory`. */
export function countWithinReach(within: Int32Array, sigma: number, smallest: number): void {
  const f = reachCategory(sigma, smallest);
  if (f >= 0) within[f] = (within[f] as number) + 1;
}

/**
 * Optuna's univariate bandwidth of the k-th of `count` ascending centres, before the clip: the
 * larger gap to its sorted neighbours (`low` and `high` beyond the ends) or, with `innerEnds`
 * (endpoints not considered, at least two centres), the one inner gap at either end.
 */
export function neighbourGap(sorted: Float64Array, k: number, count: number, low: number, high: number, innerEnds: boolean): number {
  if (innerEnds && k === 0) return (sorted[1] as number) - (sorted[0] as number);
  if (innerEnds && k === count - 1) return (sorted[count - 1] as number) - (sorted[count - 2] as number);
  const centre = sorted[k] as number;
  const left = k === 0 ? low : (sorted[k - 1] as number);
  const right = k === count - 1 ? high : (sorted[k + 1] as number);
  return Math.max(centre - left, right - centre);
}

/**
 * The magic clip's floor on a bandwidth over a parameter of width `range` (see
 * `ParzenSettings.magicClipExponent`), or EPS without the clip; `components` counts the prior.
 */
export function bandwidthFloor(settings: ParzenSettings, components: number, range: number): number {
  return settings.considerMagicClip ? range * Math.max(settings.minBandwidthFactor ?? 0.01, (1 + components) ** -(settings.magicClipExponent ?? 1)) : EPS;
}

/**
 * The window's reach, from the counts of countWithinReach; null when no reach makes the
 * window pay (it must cost under 0.8 of evaluating every component). The reach trades
 * components always evaluated (wider) against a wider window over the narrow ones: about
 * 2 reach sqrt(2 * 49) / range of them for centres spread over the range.
 */
export function chooseWindowReach(within: Int32Array, smallest: number, components: number, low: number, high: number): number | null {
  let reach = 0;
  let bestCost = Infinity;
  let narrow = 0;
  for (let f = 0; f < REACH_FACTORS.length; f++) {
    const r = smallest * (REACH_FACTORS[f] as number);
    narrow += within[f] as number;
    const cost = components - narrow + narrow * Math.min(1, (2 * r * Math.sqrt(98)) / (high - low));
    if (cost < bestCost) {
      bestCost = cost;
      reach = r;
    }
  }
  return bestCost < 0.8 * components ? reach : null;
}

function buildWindow(kernel: NumericKernels): ContinuousWindow | null {
  const { mus, sigmas, low, high } = kernel;
  const components = mus.length;
  let smallest = Infinity;
  for (let c = 0; c < components; c++) smallest = Math.min(smallest, sigmas[c] as number);
  // within[f]: components no wider than REACH_FACTORS[f] times the smallest, in one pass.
  const within = new Int32Array(REACH_FACTORS.length);
  for (let c = 0; c < components; c++) countWithinReach(within, sigmas[c] as number, smallest);
  const reach = chooseWindowReach(within, smallest, components, low, high);
  if (reach === null) return null;
  let narrow = 0;
  for (let c = 0; c < components; c++) if ((sigmas[c] as number) <= reach) narrow++;
  const order = kernel.order ?? stableArgsort(mus);
  const narrowCentres = new Float64Array(narrow);
  const narrowIds = new Int32Array(narrow);
  const wideIds = new Int32Array(components - narrow);
  const narrowInverseSigmas = new Float64Array(narrow);
  const { inverseSigmas } = kernel;
  let k = 0;
  let w = 0;
  for (let r = 0; r < components; r++) {
    const c = order[r] as number;
    if ((sigmas[c] as number) <= reach) {
      narrowCentres[k] = mus[c] as number;
      narrowInverseSigmas[k] = inverseSigmas[c] as number;
      narrowIds[k++] = c;
    } else {
      wideIds[w++] = c;
    }
  }
  return { reach, narrowCentres, narrowInverseSigmas, narrowIds, wideIds, scores: new Float64Array(components), taken: new Uint32Array((components + 31) >>> 5) };
}

/** The largest log weight minus log normaliser of a narrow component (not finite: the plain loop is used). */
function exactCeiling(kernel: NumericKernels, logWeights: Float64Array, window: ContinuousWindow): number {
  const { logNormalizers } = kernel;
  const { narrowIds } = window;
  let ceiling = -Infinity;
  for (let k = 0; k < narrowIds.length; k++) {
    const c = narrowIds[k] as number;
    ceiling = Math.max(ceiling, (logWeights[c] as number) - (logNormalizers[c] as number));
  }
  return ceiling;
}

/**
 * The window `keptBoundedLogPdf` (bad-group-pass.ts) bounds this estimator's density from, in
 * the window's orders: each narrow component's score at its centre (log weight minus log
 * normaliser) as its kept part q, with one log weight of 0 for every component and no shift,
 * so the pass's offset (0 + q) - 0 is q exactly, and the largest of them as the ceiling. The
 * log weights here skip the exact log-sum-exp of bandwidth-weighted scoring: they are
 * log w + log sigma - log(sum of w sigma), equal to the exact ones up to rounding and the
 * exact sum's dropped terms below e^-40 (far inside the caller's allowance), so the exact log
 * weights are only computed when a contender needs the exact density.
 */
function boundedWindow(kernel: NumericKernels, weights: Float64Array, baseLogWeights: Float64Array, bandwidthWeighted: boolean, window: ContinuousWindow): KeptWindow | null {
  const { mus, sigmas, inverseSigmas, logSigmas, logNormalizers } = kernel;
  const { narrowIds, wideIds } = window;
  let shift = 0;
  if (bandwidthWeighted) {
    let total = 0;
    for (let c = 0; c < weights.length; c++) total += (weights[c] as number) * (sigmas[c] as number);
    shift = Math.log(total);
  }
  const offset = (c: number): number =>
    (bandwidthWeighted ? (baseLogWeights[c] as number) + (logSigmas[c] as number) - shift : (baseLogWeights[c] as number)) - (logNormalizers[c] as number);
  const narrowOffsets = new Float64Array(narrowIds.length);
  let ceiling = -Infinity;
  for (let k = 0; k < narrowIds.length; k++) {
    const v = offset(narrowIds[k] as number);
    narrowOffsets[k] = v;
    if (v > ceiling) ceiling = v;
  }
  if (!Number.isFinite(ceiling) || !Number.isFinite(shift)) return null;
  const wideCentres = Float64Array.from(wideIds, (c) => mus[c] as number);
  const wideInverseSigmas = Float64Array.from(wideIds, (c) => inverseSigmas[c] as number);
  const wideOffsets = Float64Array.from(wideIds, offset);
  const count = narrowIds.length;
  return {
    low: kernel.low,
    high: kernel.high,
    count,
    centres: window.narrowCentres,
    // Only the narrow components are listed: a bandwidth of 0 marks none of them as wide.
    sigmas: new Float64Array(count),
    inverseSigmas: window.narrowInverseSigmas,
    q: narrowOffsets,
    slots: new Int32Array(count),
    logWeights: ZERO_LOG_WEIGHT,
    shift: 0,
    reach: window.reach,
    ceiling,
    wideCount: wideIds.length,
    wideCentres,
    wideInverseSigmas,
    wideOffsets,
    wideScores: window.scores,
  };
}

/** The one log weight of an estimator's own bounded window (its offsets carry the weights). */
const ZERO_LOG_WEIGHT = Float64Array.of(0);


/**
 * `logPdf` of a single continuous kernel, the same floats as the plain loop with
 * fewer components evaluated (issue 14). The plain loop's log-sum-exp takes the
 * maximum M of the component scores and adds exp(score - M) over those with
 * score - M > -40, in index order. A narrow component scores at most
 * ceiling - z^2 / 2, z = |x - centre| / reach, so once some evaluated score `floor` is known, a narrow
 * component farther than reach * sqrt(2 (ceiling - floor + 41)) from x scores
 * below floor - 41 <= M - 41: it is neither the maximum nor a term (the margin of
 * 1 covers rounding). The others are evaluated with the plain loop's expression
 * and summed in index order (a bit set of the evaluated ones), so the result is bit for bit the same.
 */
function windowedLogPdf(xs: Float64Array, kernel: NumericKernels, logWeights: Float64Array, window: ContinuousWindow, ceiling: number, margin: number): Float64Array {
  const { mus, inverseSigmas, logNormalizers, low, high } = kernel;
  const { narrowCentres, narrowIds, wideIds, scores, taken, reach } = window;
  const narrowCount = narrowIds.length;
  const words = taken.length;
  const out = new Float64Array(xs.length);
  for (let s = 0; s < xs.length; s++) {
    const x = xs[s] as number;
    if (!(x >= low && x <= high)) {
      out[s] = -Infinity;
      continue;
    }
    // A first floor from the narrow components nearest x.
    let floor = -Infinity;
    const at = lowerBound(narrowCentres, x);
    const first = Math.max(0, at - FLOOR_NEIGHBOURS);
    const last = Math.min(narrowCount, at + FLOOR_NEIGHBOURS);
    for (let k = first; k < last; k++) {
      const c = narrowIds[k] as number;
      const z = (x - (mus[c] as number)) * (inverseSigmas[c] as number);
      const v = (logWeights[c] as number) - 0.5 * z * z - (logNormalizers[c] as number);
      if (v > floor) floor = v;
    }
    let max = -Infinity;
    for (let k = 0; k < wideIds.length; k++) {
      const c = wideIds[k] as number;
      const z = (x - (mus[c] as number)) * (inverseSigmas[c] as number);
      const v = (logWeights[c] as number) - 0.5 * z * z - (logNormalizers[c] as number);
      scores[c] = v;
      taken[c >>> 5] = (taken[c >>> 5] as number) | (1 << (c & 31));
      if (v > max) max = v;
    }
    if (max > floor) floor = max;
    const radius = reach * Math.sqrt(2 * (ceiling - floor + margin)) * (1 + 1e-9);
    // Every narrow centre in [x - radius, x + radius], the ends included.
    const from = lowerBound(narrowCentres, x - radius, 0, at);
    const to = upperBound(narrowCentres, x + radius, at);
    for (let k = from; k < to; k++) {
      const c = narrowIds[k] as number;
      const z = (x - (mus[c] as number)) * (inverseSigmas[c] as number);
      const v = (logWeights[c] as number) - 0.5 * z * z - (logNormalizers[c] as number);
      scores[c] = v;
      taken[c >>> 5] = (taken[c >>> 5] as number) | (1 << (c & 31));
      if (v > max) max = v;
    }
    let sum = 0;
    for (let word = 0; word < words; word++) {
      let bits = taken[word] as number;
      if (bits === 0) continue;
      taken[word] = 0;
      while (bits !== 0) {
        const lowest = bits & -bits;
        bits ^= lowest;
        const gap = (scores[(word << 5) + 31 - Math.clz32(lowest)] as number) - max;
        if (gap > -40) sum += Math.exp(gap);
      }
    }
    out[s] = max === -Infinity ? -Infinity : max + Math.log(sum);
  }
  return out;
}

function addCategorical(perComponent: Float64Array, kernel: CategoricalKernels, x: number): void {
  const choice = x | 0;
  const choices = kernel.choices;
  const logProbabilities = kernel.logProbabilities;
  const components = perComponent.length;
  for (let c = 0; c < components; c++) perComponent[c] = (perComponent[c] as number) + (logProbabilities[c * choices + choice] as number);
}

function addContinuous(perComponent: Float64Array, kernel: NumericKernels, x: number): void {
  if (!(x >= kernel.low && x <= kernel.high)) {
    perComponent.fill(-Infinity);
    return;
  }
  const { mus, inverseSigmas, logNormalizers } = kernel;
  const components = perComponent.length;
  for (let c = 0; c < components; c++) {
    const z = (x - (mus[c] as number)) * (inverseSigmas[c] as number);
    perComponent[c] = (perComponent[c] as number) - 0.5 * z * z - (logNormalizers[c] as number);
  }
}

function addQuantized(perComponent: Float64Array, kernel: NumericKernels, x: number): void {
  const half = (kernel.step as number) / 2;
  const components = perComponent.length;
  for (let c = 0; c < components; c++) {
    perComponent[c] =
      (perComponent[c] as number) + truncnormLogBinMass(x - half, x + half, kernel.mus[c] as number, kernel.sigmas[c] as number, kernel.low, kernel.high);
  }
}

function numericKernels(
  observations: Float64Array,
  parameter: Extract<ParzenParameter, { kind: "numeric" }>,
  considerPrior: boolean,
  settings: ParzenSettings,
  sigma0: number,
  ids?: Int32Array,
  memo?: KernelMemo,
  sortedColumn?: SortedColumn,
): NumericKernels {
  const { low, high, step } = parameter;
  const n = observations.length;
  const components = n + (considerPrior ? 1 : 0);
  const mus = new Float64Array(components);
  mus.set(observations);
  if (considerPrior) mus[n] = 0.5 * (low + high);
  const sigmas = new Float64Array(components);
  let sortedOrder: Uint32Array | undefined;
  if (settings.bandwidth === "scott") {
    sigmas.fill(scottBandwidth(mus));
  } else if (settings.multivariate) {
    sigmas.fill(sigma0 * (high - low));
  } else {
    // Each kernel is as wide as the larger gap to its sorted neighbours (bounds included).
    // The searcher's column of every trial's value gives the order without a sort (kernel-memo.ts).
    const order = sortedColumn !== undefined && ids !== undefined && n > 64 ? sortedColumn.orderOf(ids, considerPrior ? (mus[n] as number) : undefined) : stableArgsort(mus);
    sortedOrder = order;
    const sorted = new Float64Array(components);
    for (let k = 0; k < components; k++) sorted[k] = mus[order[k] as number] as number;
    const innerEnds = !settings.considerEndpoints && components + 2 >= 4;
    for (let k = 0; k < components; k++) sigmas[order[k] as number] = neighbourGap(sorted, k, components, low, high, innerEnds);
  }
  const range = high - low;
  const minSigma = bandwidthFloor(settings, components, range);
  for (let c = 0; c < components; c++) sigmas[c] = Math.min(Math.max(sigmas[c] as number, minSigma), range);
  if (considerPrior) sigmas[n] = range;

  const logNormalizers = new Float64Array(components);
  const logSigmas = new Float64Array(components);
  let lastSigma = Number.NaN;
  let lastLogSigma = Number.NaN;
  if (memo) {
    let largest = -1;
    for (let c = 0; c < n; c++) largest = Math.max(largest, (ids as Int32Array)[c] as number);
    memo.reserve(largest + 2);
  }
  for (let c = 0; c < components; c++) {
    const mu = mus[c] as number;
    const sigma = sigmas[c] as number;
    // Slot 0 is the prior, slot id + 1 an observation (kernel-memo.ts).
    const slot = memo ? (c < n ? ((ids as Int32Array)[c] as number) + 1 : 0) : -1;
    if (slot >= 0 && (memo as KernelMemo).sigmas[slot] === sigma) {
      logNormalizers[c] = (memo as KernelMemo).logNormalizers[slot] as number;
      logSigmas[c] = (memo as KernelMemo).logSigmas[slot] as number;
      continue;
    }
    // One log per distinct bandwidth in a row (multivariate kernels share theirs): the same value.
    if (sigma !== lastSigma) {
      lastSigma = sigma;
      lastLogSigma = Math.log(sigma);
    }
    // -log pdf at the mode minus the quadratic: log sigma + log sqrt(2 pi) + log mass.
    logNormalizers[c] = lastLogSigma - truncnormLogPdf(0, (low - mu) / sigma, (high - mu) / sigma);
    logSigmas[c] = lastLogSigma;
    if (slot >= 0) {
      (memo as KernelMemo).sigmas[slot] = sigma;
      (memo as KernelMemo).logNormalizers[slot] = logNormalizers[c] as number;
      (memo as KernelMemo).logSigmas[slot] = logSigmas[c] as number;
    }
  }
  const inverseSigmas = new Float64Array(components);
  for (let c = 0; c < components; c++) inverseSigmas[c] = 1 / (sigmas[c] as number);
  return { kind: "numeric", low, high, step, mus, sigmas, inverseSigmas, logNormalizers, logSigmas, order: sortedOrder };
}

/**
 * Scott's rule for one dimension: 1.059 min(IQR / 1.34, sd) m^(-1/5), sd with Bessel's
 * correction and quartiles by linear interpolation (numpy's defaults). 0 for one centre;
 * the magic clip then sets the floor.
 */
export function scottBandwidth(centres: Float64Array): number {
  const m = centres.length;
  if (m < 2) return 0;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += centres[i] as number;
  mean /= m;
  let squares = 0;
  for (let i = 0; i < m; i++) squares += ((centres[i] as number) - mean) ** 2;
  const sd = Math.sqrt(squares / (m - 1));
  const sorted = Float64Array.from(centres).sort();
  const iqr = sortedQuantile(sorted, 0.75) - sortedQuantile(sorted, 0.25);
  return 1.059 * Math.min(iqr / 1.34, sd) * m ** -0.2;
}

function sortedQuantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return (sorted[lower] as number) + ((sorted[upper] as number) - (sorted[lower] as number)) * (position - lower);
}

/** Optuna's smoothing: each row is prior_weight/(n+1) everywhere plus 1 on the observed choice, normalised. */
function categoricalKernels(observations: Float64Array, choices: number, considerPrior: boolean, priorWeight: number): CategoricalKernels {
  const n = observations.length;
  const components = n + (considerPrior ? 1 : 0);
  const fill = considerPrior ? priorWeight / (n + 1) : priorWeight / n;
  const probabilities = new Float64Array(components * choices).fill(fill);
  for (let i = 0; i < n; i++) {
    const index = i * choices + ((observations[i] as number) | 0);
    probabilities[index] = (probabilities[index] as number) + 1;
  }
  for (let c = 0; c < components; c++) {
    let total = 0;
    for (let k = 0; k < choices; k++) total += probabilities[c * choices + k] as number;
    for (let k = 0; k < choices; k++) probabilities[c * choices + k] = (probabilities[c * choices + k] as number) / total;
  }
  return { kind: "categorical", choices, probabilities, logProbabilities: probabilities.map(Math.log) };
}

/**
 * Indices that sort `values` ascending, ties in index order. A native numeric sort of a copy
 * plus a binary search per value: several times faster than a comparator sort at n = 1000.
 */
function stableArgsort(values: Float64Array): Uint32Array {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const taken = new Uint8Array(n);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    while (taken[lo] === 1) lo++;
    taken[lo] = 1;
    order[lo] = i;
  }
  return order;
}

/** Snaps a quantized draw onto its grid of steps from the (widened) lower bound. */
function roundToStep(x: number, kernel: NumericKernels): number {
  if (kernel.step === null) return x;
  const first = kernel.low + kernel.step / 2;
  const last = kernel.high - kernel.step / 2;
  return Math.min(Math.max(first + Math.round((x - first) / kernel.step) * kernel.step, first), last);
}

/** Index drawn from normalised probabilities by one uniform (Optuna's cumulative-sum rule). */
function pickIndex(probabilities: Float64Array, u: number): number {
  let cumulative = 0;
  for (let i = 0; i < probabilities.length - 1; i++) {
    cumulative += probabilities[i] as number;
    if (u < cumulative) return i;
  }
  return probabilities.length - 1;
}

export function logSumExp(values: Float64Array): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > max) max = values[i] as number;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const gap = (values[i] as number) - max;
    // Terms below e^-40 cannot move a sum that contains 1.
    if (gap > -40) sum += Math.exp(gap);
  }
  return max + Math.log(sum);
}
