import type { Uniform01 } from "../../../core/space/index.ts";
import { fitTimeVaryingGP, pairwiseDistances, type TimeVaryingGP, type TimeVaryingParameters } from "../../math/time-varying-kernel.ts";
import { nelderMeadMax } from "./nelder-mead.ts";

/**
 * PB2's model step (Ray Tune's pb2.select_config and pb2_utils), as pure
 * functions. Rows of `x` are [time, reward before, h_1 .. h_k] (raw units, or ln
 * of a log-scale hyperparameter, with its bounds given as [ln low, ln high]); `y`
 * is the change in reward per unit time that followed. As Ray: the GP sees time
 * and reward min-max scaled to [0, 1] over the data window, hyperparameters
 * scaled by their bounds, and y standardised and clipped to [-2, 2] (so the GP's
 * zero prior mean is the average rate, not the worst); after the likelihood fit
 * its lengthscale is capped at 1. The next config maximises
 * UCB = mean + kappa * variance at the donor's (time, reward before), where the
 * variance comes from a second GP that also holds the configs already chosen in
 * this round at the donor's point with y = 0: batch-aware, so a round's picks
 * spread out.
 */
export interface SelectConfigInput {
  /** n rows of 2 + k columns, oldest first. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Configs chosen earlier in this round, m rows of k values (units as x), or null. */
  readonly current: Float64Array | null;
  /** The donor's [time, reward before]. */
  readonly newpoint: readonly [number, number];
  readonly bounds: ReadonlyArray<readonly [number, number]>;
  readonly random: Uniform01;
  readonly settings?: SelectConfigSettings;
}

export interface SelectConfigSettings {
  /** Below this many rows the whole data is used; from it on, the window length is chosen by likelihood. @defaultValue 200 */
  readonly minWindow?: number;
  /** Step between candidate window lengths. @defaultValue 50 */
  readonly windowStep?: number;
  /**
   * Most Nelder-Mead evaluations of the likelihood for each GP fit; the search stops earlier once
   * converged (typically 120-360 evaluations), as GPy's optimize() runs to convergence. @defaultValue 1000
   */
  readonly fitEvaluations?: number;
  /**
   * Evaluations per candidate window of the window search and for the batch GP; each starts
   * from the previous fit (GPy restarts from scratch; this keeps the search affordable). @defaultValue 30
   */
  readonly refitEvaluations?: number;
  /** Random starts of the acquisition search. @defaultValue 10 */
  readonly acquisitionStarts?: number;
  /** Evaluations per acquisition start. @defaultValue 200 */
  readonly acquisitionEvaluations?: number;
  /**
   * Exploits per full model search (Syne Tune's `opt_skip_period` idea): the window search and the
   * likelihood fits of both GPs run at one exploit in this many; the exploits between condition the
   * GPs on their current data with the window length and hyperparameters of the last search (one
   * factorisation each, no search). 1 = every exploit searches, as Ray's PB2. @defaultValue 1
   */
  readonly refitPeriod?: number;
  /**
   * Most configs of the current round the batch GP holds (the latest ones). Ray holds every pick
   * since time last moved forward: with few distinct perturbation times (training_iteration) and a
   * large population that is most of the population, and the batch GP costs O((rows + picks)^3).
   * @defaultValue Infinity
   */
  readonly maxPending?: number;
  /** Most data rows kept for the GP (the latest). @defaultValue 1000 (Ray's) */
  readonly maxRows?: number;
}

/** What a full model search chose, reused by the exploits that skip the search (`refitPeriod`). */
export interface Pb2ModelFit {
  /** Rows of the chosen window, or null when the search was skipped for want of rows (every row used). */
  readonly windowLength: number | null;
  /** The likelihood fit of the model, before the lengthscale cap. */
  readonly fitted: TimeVaryingParameters;
  /** The batch GP's likelihood fit, or null when no config was pending (the batch GP was the model). */
  readonly batch: TimeVaryingParameters | null;
}

const FIXED_FEATURES = 2;
/** Cap on likelihood evaluations per GP fit (the search stops at convergence first). */
export const PB2_FIT_EVALUATIONS = 1000;
const INITIAL: TimeVaryingParameters = { variance: 1, lengthscale: 1, epsilon: 0.1, noiseVariance: 1 };

/** Ray's UCB exploration weight for a GP fitted to n points: sqrt(0.2 + max(0, log(0.4 n))). */
export function pb2Kappa(n: number): number {
  return Math.sqrt(0.2 + Math.max(0, Math.log(0.4 * n)));
}

/** The next config (k raw values inside `bounds`). */
export function selectConfig(input: SelectConfigInput): Float64Array {
  return selectConfigReusing(input, null).config;
}

/**
 * `selectConfig`, with the model search skipped when `reuse` is given (see `refitPeriod`); returns
 * the config and the fit to reuse next time (the search's, or `reuse` itself).
 */
export function selectConfigReusing(input: SelectConfigInput, reuse: Pb2ModelFit | null): { config: Float64Array; fit: Pb2ModelFit } {
  const k = input.bounds.length;
  const { model, batchModel, fixed, fit } = reuse === null ? pb2Models(input) : pb2ModelsReusing(input, reuse);
  const unit = maximizeUcb(model, batchModel, fixed, k, input.random, input.settings ?? {});
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const [low, high] = input.bounds[c] as readonly [number, number];
    out[c] = low + (unit[c] as number) * (high - low);
  }
  return { config: out, fit };
}

/**
 * Ray's two GPs over the selected data window: `model` (lengthscale capped at 1)
 * gives UCB's mean, `batchModel` (also holding this round's picks) its variance;
 * `fixed` is the donor's (time, reward before) in the models' units.
 */
export function pb2Models(input: SelectConfigInput): { model: TimeVaryingGP; batchModel: TimeVaryingGP; fixed: Float64Array; fit: Pb2ModelFit } {
  const d = FIXED_FEATURES + input.bounds.length;
  const settings = input.settings ?? {};
  const fitEvaluations = settings.fitEvaluations ?? PB2_FIT_EVALUATIONS;
  const refitEvaluations = settings.refitEvaluations ?? 30;
  const all = input.y.length;
  const minWindow = settings.minWindow ?? 200;
  const length = selectWindow(input.x, input.y, input.bounds, minWindow, fitEvaluations, refitEvaluations, settings.windowStep ?? 50);
  const data = pb2GpData(input.x.slice((all - length) * d), input.y.slice(all - length), input.newpoint, input.bounds);
  const fitted = fitOptimized(data.x, data.y, d, INITIAL, fitEvaluations);
  // Ray caps the fitted lengthscale at 1 (in unit-cube units) and keeps it fixed.
  const model =
    fitted.parameters.lengthscale > 1
      ? (fitTimeVaryingGP(data.x, data.y, d, { ...fitted.parameters, lengthscale: 1 }) ?? fitted)
      : fitted;
  const windowLength = all < minWindow ? null : length;
  if (input.current === null || input.current.length === 0) {
    return { model, batchModel: model, fixed: data.fixed, fit: { windowLength, fitted: fitted.parameters, batch: null } };
  }
  const batch = pb2BatchData(data, input.current, input.bounds);
  const batchModel = fitOptimized(batch.x, batch.y, d, INITIAL, fitEvaluations);
  return { model, batchModel, fixed: data.fixed, fit: { windowLength, fitted: fitted.parameters, batch: batchModel.parameters } };
}

/**
 * `pb2Models` without the search: the window's length and both GPs' hyperparameters come from
 * `reuse` (the last search); the data, their scaling and this round's picks are the current ones.
 * A kernel matrix that does not factor with the reused hyperparameters gets the full search.
 */
export function pb2ModelsReusing(
  input: SelectConfigInput,
  reuse: Pb2ModelFit,
): { model: TimeVaryingGP; batchModel: TimeVaryingGP; fixed: Float64Array; fit: Pb2ModelFit } {
  const d = FIXED_FEATURES + input.bounds.length;
  const all = input.y.length;
  const length = reuse.windowLength === null ? all : Math.min(all, reuse.windowLength);
  const data = pb2GpData(input.x.slice((all - length) * d), input.y.slice(all - length), input.newpoint, input.bounds);
  const capped = reuse.fitted.lengthscale > 1 ? { ...reuse.fitted, lengthscale: 1 } : reuse.fitted;
  const model = fitTimeVaryingGP(data.x, data.y, d, capped);
  if (model === null) return pb2Models(input);
  if (input.current === null || input.current.length === 0) return { model, batchModel: model, fixed: data.fixed, fit: reuse };
  const batch = pb2BatchData(data, input.current, input.bounds);
  const batchModel = fitTimeVaryingGP(batch.x, batch.y, d, reuse.batch ?? reuse.fitted);
  if (batchModel === null) return pb2Models(input);
  return { model, batchModel, fixed: data.fixed, fit: reuse };
}

/** The GP's inputs as Ray scales them (see the module comment), and the donor's fixed (time, reward) on the same scale. */
export interface Pb2GpData {
  /** n rows of 2 + k columns in unit-cube units. */
  readonly x: Float64Array;
  /** standardize(y): mean 0, clipped to [-2, 2]. */
  readonly y: Float64Array;
  readonly n: number;
  /** The donor's [time, reward before], scaled as the first two columns. */
  readonly fixed: Float64Array;
}

export function pb2GpData(
  x: Float64Array,
  y: Float64Array,
  newpoint: readonly [number, number],
  bounds: ReadonlyArray<readonly [number, number]>,
): Pb2GpData {
  const n = y.length;
  const d = FIXED_FEATURES + bounds.length;
  const lows = new Float64Array(d);
  const spans = new Float64Array(d);
  columnLimits(x, n, d, bounds, lows, spans);
  const fixed = Float64Array.of(
    (newpoint[0] - (lows[0] as number)) / (spans[0] as number),
    (newpoint[1] - (lows[1] as number)) / (spans[1] as number),
  );
  return { x: scaleRows(x, n, d, lows, spans), y: standardize(y), n, fixed };
}

/**
 * The data of the batch GP (Ray's m1): the model's rows plus one row per config
 * already chosen this round, at the donor's (time, reward) with y = 0. Only its
 * variance is used, which does not depend on those y.
 */
export function pb2BatchData(
  data: Pb2GpData,
  current: Float64Array,
  bounds: ReadonlyArray<readonly [number, number]>,
): { x: Float64Array; y: Float64Array } {
  const k = bounds.length;
  const d = FIXED_FEATURES + k;
  const m = current.length / k;
  const x = new Float64Array((data.n + m) * d);
  x.set(data.x);
  for (let r = 0; r < m; r++) {
    const row = (data.n + r) * d;
    x[row] = data.fixed[0] as number;
    x[row + 1] = data.fixed[1] as number;
    for (let c = 0; c < k; c++) {
      const [low, high] = bounds[c] as readonly [number, number];
      x[row + FIXED_FEATURES + c] = ((current[r * k + c] as number) - low) / (high - low + 1e-8);
    }
  }
  const y = new Float64Array(data.n + m);
  y.set(data.y);
  return { x, y };
}

/** UCB at unit-cube hyperparameters `h`, the donor's (time, reward) fixed. */
export function pb2Ucb(model: TimeVaryingGP, batchModel: TimeVaryingGP, fixed: Float64Array, h: Float64Array): number {
  const z = new Float64Array(FIXED_FEATURES + h.length);
  z[0] = fixed[0] as number;
  z[1] = fixed[1] as number;
  z.set(h, FIXED_FEATURES);
  return model.predict(z).mean + pb2Kappa(model.n) * batchModel.predict(z).variance;
}

function maximizeUcb(
  model: TimeVaryingGP,
  batchModel: TimeVaryingGP,
  fixed: Float64Array,
  k: number,
  random: Uniform01,
  settings: SelectConfigSettings,
): Float64Array {
  const starts = settings.acquisitionStarts ?? 10;
  const evaluations = settings.acquisitionEvaluations ?? 200;
  const clip = (x: Float64Array): void => {
    for (let c = 0; c < k; c++) x[c] = Math.min(1, Math.max(0, x[c] as number));
  };
  let best: Float64Array | undefined;
  let bestValue = -Infinity;
  for (let s = 0; s < starts; s++) {
    const start = Float64Array.from({ length: k }, () => random());
    const found = nelderMeadMax((h) => pb2Ucb(model, batchModel, fixed, h), start, { step: 0.1, maxEvaluations: evaluations, project: clip });
    if (found.value > bestValue || best === undefined) {
      bestValue = found.value;
      best = found.x;
    }
  }
  return best as Float64Array;
}

/**
 * Ray's select_length: with fewer than `minWindow` rows use them all; else try
 * windows of the last minWindow, minWindow + 10, ... rows and keep the one whose
 * fitted GP has the highest marginal likelihood.
 */
export function selectWindow(
  x: Float64Array,
  y: Float64Array,
  bounds: ReadonlyArray<readonly [number, number]>,
  minWindow: number,
  fitEvaluations: number,
  refitEvaluations = fitEvaluations,
  step = 50,
): number {
  const n = y.length;
  if (n < minWindow) return n;
  const d = FIXED_FEATURES + bounds.length;
  let bestLength = minWindow;
  let bestScore = -Infinity;
  let start = INITIAL;
  for (let length = minWindow; length <= n; length += step) {
    const xw = x.slice((n - length) * d);
    const lows = new Float64Array(d);
    const spans = new Float64Array(d);
    columnLimits(xw, length, d, bounds, lows, spans);
    const evaluations = length === minWindow ? fitEvaluations : refitEvaluations;
    const model = fitOptimized(scaleRows(xw, length, d, lows, spans), standardize(y.slice(n - length)), d, start, evaluations);
    start = model.parameters;
    if (model.logMarginalLikelihood > bestScore) {
      bestScore = model.logMarginalLikelihood;
      bestLength = length;
    }
  }
  return bestLength;
}

/** Per column: time and reward scale by their range in the window, hyperparameters by their bounds. */
function columnLimits(
  x: Float64Array,
  n: number,
  d: number,
  bounds: ReadonlyArray<readonly [number, number]>,
  lows: Float64Array,
  spans: Float64Array,
): void {
  for (let c = 0; c < FIXED_FEATURES; c++) {
    let low = Infinity;
    let high = -Infinity;
    for (let r = 0; r < n; r++) {
      const v = x[r * d + c] as number;
      if (v < low) low = v;
      if (v > high) high = v;
    }
    lows[c] = low;
    // Ray's normalize adds 1e-8: a constant column (one time point) maps to 0.
    spans[c] = high - low + 1e-8;
  }
  for (let c = FIXED_FEATURES; c < d; c++) {
    const [low, high] = bounds[c - FIXED_FEATURES] as readonly [number, number];
    lows[c] = low;
    spans[c] = high - low + 1e-8;
  }
}

function scaleRows(x: Float64Array, n: number, d: number, lows: Float64Array, spans: Float64Array): Float64Array {
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < d; c++) out[r * d + c] = ((x[r * d + c] as number) - (lows[c] as number)) / (spans[c] as number);
  }
  return out;
}

/** (y - mean) / (std + 1e-8), clipped to [-2, 2] (Ray's standardize). */
export function standardize(y: Float64Array): Float64Array {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] as number;
  mean /= n || 1;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += ((y[i] as number) - mean) ** 2;
  const sd = Math.sqrt(variance / (n || 1)) + 1e-8;
  return y.map((v) => Math.min(2, Math.max(-2, (v - mean) / sd)));
}

/**
 * Maximum-likelihood GP fit (what GPy's optimize() does): variance, lengthscale,
 * epsilon and noise by Nelder-Mead over log / logit coordinates from `start`.
 */
export function fitOptimized(x: Float64Array, y: Float64Array, d: number, start: TimeVaryingParameters, evaluations: number): TimeVaryingGP {
  const unpack = (t: Float64Array): TimeVaryingParameters => ({
    variance: Math.exp(t[0] as number),
    lengthscale: Math.exp(t[1] as number),
    epsilon: 0.5 / (1 + Math.exp(-(t[2] as number))),
    noiseVariance: Math.exp(t[3] as number) + 1e-6,
  });
  const eps = Math.min(Math.max(start.epsilon, 1e-6), 0.5 - 1e-6);
  const theta0 = Float64Array.of(Math.log(start.variance), Math.log(start.lengthscale), Math.log(eps / (0.5 - eps)), Math.log(Math.max(start.noiseVariance - 1e-6, 1e-6)));
  const bound = (t: Float64Array): void => {
    for (let i = 0; i < t.length; i++) t[i] = Math.min(8, Math.max(-8, t[i] as number));
  };
  const distances = pairwiseDistances(x, y.length, d);
  const found = nelderMeadMax((t) => fitTimeVaryingGP(x, y, d, unpack(t), distances)?.logMarginalLikelihood ?? -Infinity, theta0, {
    step: 1,
    maxEvaluations: evaluations,
    project: bound,
  });
  const fitted = fitTimeVaryingGP(x, y, d, unpack(found.x), distances) ?? fitTimeVaryingGP(x, y, d, INITIAL, distances);
  if (fitted === null) throw new Error("pb2: the GP kernel matrix does not factor even with unit noise");
  return fitted;
}
