import type { KernelMemo, SortedColumn, WeightsMemo } from "./kernel-memo.ts";
import {
  EPS,
  REACH_FACTORS,
  TIGHT_SHELL,
  WINDOW_MIN_COMPONENTS,
  boundedLogPdf,
  chooseWindowReach,
  countWithinReach,
  mixtureWeights,
  type BoundedWindow,
  type ParzenSettings,
} from "./parzen-estimator.ts";
import { truncnormLogPdf } from "./truncnorm.ts";

/**
 * The bounds on the bad group's density that TPE's argmax starts from (best-candidate.ts),
 * for one continuous parameter with Optuna's neighbour-gap bandwidths, built without
 * building the bad group's ParzenEstimator (issue 14).
 *
 * `ParzenEstimator.logPdfBounds` needs the estimator's kernels, its window and its
 * bounded window: about ten O(n) passes and as many fresh arrays per parameter and
 * suggestion (the profile's `numericKernels`, `buildWindow`, `boundedWindow`). Here the
 * same numbers come from three passes over state kept across suggestions:
 *
 * - the parameter's `SortedColumn` (every trial's value in (value, id) order, one insertion
 *   per new trial): walking it and keeping the bad group's members gives the centres in
 *   the estimator's sorted order, the prior placed after equal centres, as `orderOf`;
 * - the parameter's `KernelMemo`: each observation's log normaliser (its truncation mass,
 *   two `ndtr`s and a `log1p`) and log bandwidth, kept per trial while its bandwidth stays;
 * - scratch arrays grown once, not allocated per suggestion.
 *
 * Every value is computed by the same expression from the same inputs as in
 * `numericKernels`, `buildWindow` and `boundedWindow`, and every sum runs in the same
 * order (the bandwidth-weighted shift over components in index order), so the bounds are
 * the same floats as the estimator's, bit for bit (`bad-group-bounds.property.test.ts`).
 * The bandwidths are recomputed from the neighbour gaps every suggestion rather than
 * patched where the group changed: the mixture weights of every component change with n
 * (Optuna's ramp), so one O(n) pass over the offsets is needed anyway.
 *
 * Only the bounds come from here; the candidates still in doubt are scored by a
 * ParzenEstimator built the old way, on first need.
 */
export interface BadGroupBounds {
  /** As `ParzenEstimator.logPdfBounds` (one column: the parameter's values). */
  logPdfBounds(samples: readonly Float64Array[], tight?: boolean): { value: Float64Array; bound: Float64Array } | null;
}

/** What one parameter's bad group needs, given by the searcher. */
export interface BadGroupInput {
  /** The bad group's trial ids (positions), ascending, each with a value in `values`. */
  readonly ids: Int32Array;
  /** Every trial's value of the parameter by trial id. */
  readonly values: Float64Array;
  readonly sorted: SortedColumn;
  readonly memo: KernelMemo;
  readonly weights: WeightsMemo;
  /** Trial id to component index, shared by the parameters of a suggestion (their ids are usually one array). */
  readonly index: ComponentIndex;
  readonly low: number;
  readonly high: number;
  readonly settings: ParzenSettings;
}

/** Whether `BadGroupKernels` applies to these settings (else the estimator is built as before). */
export function badGroupBoundsApply(settings: ParzenSettings): boolean {
  return !settings.multivariate && (settings.bandwidth ?? "optuna") === "optuna";
}

/**
 * Each trial id's position in a group's ids (its component index), filled once per ids
 * array: the searcher passes the same fresh array to every parameter without inactive
 * trials, so one pass serves them all. Entries are valid where `stamp` equals `epoch`
 * (no clearing pass). An ids array must not be changed after it was indexed.
 */
export class ComponentIndex {
  component = new Int32Array(0);
  stamp = new Int32Array(0);
  epoch = 0;
  private indexed: Int32Array | undefined;

  of(ids: Int32Array): { component: Int32Array; stamp: Int32Array; epoch: number } {
    if (ids !== this.indexed) {
      const largest = ids.length > 0 ? (ids[ids.length - 1] as number) : -1;
      if (this.component.length <= largest) {
        const size = Math.max(largest + 1, 2 * this.component.length, 64);
        this.component = new Int32Array(size);
        this.stamp = new Int32Array(size);
        this.epoch = 0;
      }
      this.epoch = this.epoch === 0x7fffffff ? 1 : this.epoch + 1;
      if (this.epoch === 1) this.stamp.fill(0);
      const { component, stamp, epoch } = this;
      for (let c = 0; c < ids.length; c++) {
        component[ids[c] as number] = c;
        stamp[ids[c] as number] = epoch;
      }
      this.indexed = ids;
    }
    return this;
  }
}

/**
 * One continuous parameter's builder of bad-group bounds, kept by the searcher across
 * suggestions for its scratch arrays. `bounds` returns null where the estimator's
 * `logPdfBounds` would (fewer than 64 components, a window not worth it, a non-finite offset).
 */
export class BadGroupKernels {
  // By sorted rank (components + 2 for the bounds on either side of `centres`).
  private centres = new Float64Array(0);
  private sortedComponents = new Int32Array(0);
  // By component index.
  private sigmas = new Float64Array(0);
  private logSigmas = new Float64Array(0);
  private logNormalizers = new Float64Array(0);
  // The bounded window.
  private narrowCentres = new Float64Array(0);
  private narrowInverseSigmas = new Float64Array(0);
  private narrowOffsets = new Float64Array(0);
  private wideCentres = new Float64Array(0);
  private wideInverseSigmas = new Float64Array(0);
  private wideOffsets = new Float64Array(0);
  private scores = new Float64Array(0);

  bounds(input: BadGroupInput): BadGroupBounds | null {
    const { ids, values, sorted, memo, settings, low, high } = input;
    const n = ids.length;
    // Below this the estimator sorts its centres itself (stableArgsort; kernel-memo's orderOf above 64).
    if (n <= 64) return null;
    const considerPrior = settings.considerPrior;
    const components = n + (considerPrior ? 1 : 0);
    if (components < WINDOW_MIN_COMPONENTS) return null;
    this.reserve(components);
    const { weights, logWeights: baseLogWeights } = mixtureWeights(n, settings, input.weights);
    const priorCentre = 0.5 * (low + high);

    // Pass 1, sorted order: the centres as `orderOf` orders them.
    const { component, stamp, epoch } = input.index.of(ids);
    const centres = this.centres;
    const sortedComponents = this.sortedComponents;
    const last = ids[n - 1] as number;
    centres[0] = low;
    let k = 0;
    let priorPending = considerPrior;
    const sortedIds = sorted.ids;
    const sortedValues = sorted.values;
    for (let r = 0; r < sorted.size; r++) {
      const id = sortedIds[r] as number;
      if (id > last || stamp[id] !== epoch) continue;
      const v = sortedValues[r] as number;
      if (priorPending && v > priorCentre) {
        sortedComponents[k] = n;
        centres[++k] = priorCentre;
        priorPending = false;
      }
      sortedComponents[k] = component[id] as number;
      centres[++k] = v;
    }
    if (priorPending) {
      sortedComponents[k] = n;
      centres[++k] = priorCentre;
    }
    // An observation missing from the column (a NaN value): the estimator is built instead.
    if (k !== components) return null;
    centres[components + 1] = high;

    // Pass 2, sorted order: the larger neighbour gap (the inner one at the ends), clipped.
    const range = high - low;
    const minSigma = settings.considerMagicClip
      ? range * Math.max(settings.minBandwidthFactor ?? 0.01, (1 + components) ** -(settings.magicClipExponent ?? 1))
      : EPS;
    const innerEnds = !settings.considerEndpoints && components + 2 >= 4;
    const sigmas = this.sigmas;
    let smallest = Infinity;
    for (let r = 0; r < components; r++) {
      const c = sortedComponents[r] as number;
      let gap: number;
      if (innerEnds && r === 0) gap = (centres[2] as number) - (centres[1] as number);
      else if (innerEnds && r === components - 1) gap = (centres[components] as number) - (centres[components - 1] as number);
      else gap = Math.max((centres[r + 1] as number) - (centres[r] as number), (centres[r + 2] as number) - (centres[r + 1] as number));
      const sigma = c === n ? range : Math.min(Math.max(gap, minSigma), range);
      sigmas[c] = sigma;
      smallest = Math.min(smallest, sigma);
    }

    // Pass 3, component order: normalisers (memo), the bandwidth-weighted shift, buildWindow's counts.
    memo.reserve(last + 2);
    const logSigmas = this.logSigmas;
    const logNormalizers = this.logNormalizers;
    const memoSigmas = memo.sigmas;
    const memoLogNormalizers = memo.logNormalizers;
    const memoLogSigmas = memo.logSigmas;
    const within = new Int32Array(REACH_FACTORS.length);
    let total = 0;
    for (let c = 0; c < components; c++) {
      const sigma = sigmas[c] as number;
      const slot = c < n ? (ids[c] as number) + 1 : 0;
      if (memoSigmas[slot] === sigma) {
        logNormalizers[c] = memoLogNormalizers[slot] as number;
        logSigmas[c] = memoLogSigmas[slot] as number;
      } else {
        const mu = c < n ? (values[ids[c] as number] as number) : priorCentre;
        const logSigma = Math.log(sigma);
        const logNormalizer = logSigma - truncnormLogPdf(0, (low - mu) / sigma, (high - mu) / sigma);
        logNormalizers[c] = logNormalizer;
        logSigmas[c] = logSigma;
        memoSigmas[slot] = sigma;
        memoLogNormalizers[slot] = logNormalizer;
        memoLogSigmas[slot] = logSigma;
      }
      total += (weights[c] as number) * sigma;
      countWithinReach(within, sigma, smallest);
    }

    // The window's reach: buildWindow's cost model, from the same counts.
    const reach = chooseWindowReach(within, smallest, components, low, high);
    if (reach === null) return null;

    // Pass 4, sorted order: boundedWindow's offsets of the narrow and the wide components.
    const bandwidthWeighted = settings.scoring === "bandwidth-weighted";
    const shift = bandwidthWeighted ? Math.log(total) : 0;
    const { narrowCentres, narrowInverseSigmas, narrowOffsets, wideCentres, wideInverseSigmas, wideOffsets } = this;
    let narrowCount = 0;
    let wideCount = 0;
    let ceiling = -Infinity;
    for (let r = 0; r < components; r++) {
      const c = sortedComponents[r] as number;
      const sigma = sigmas[c] as number;
      const offset = (bandwidthWeighted ? (baseLogWeights[c] as number) + (logSigmas[c] as number) - shift : (baseLogWeights[c] as number)) - (logNormalizers[c] as number);
      if (sigma <= reach) {
        narrowCentres[narrowCount] = centres[r + 1] as number;
        narrowInverseSigmas[narrowCount] = 1 / sigma;
        narrowOffsets[narrowCount++] = offset;
        if (offset > ceiling) ceiling = offset;
      } else {
        wideCentres[wideCount] = centres[r + 1] as number;
        wideInverseSigmas[wideCount] = 1 / sigma;
        wideOffsets[wideCount++] = offset;
      }
    }
    if (!Number.isFinite(ceiling) || !Number.isFinite(shift)) return null;
    const window = { reach, narrowCentres: narrowCentres.subarray(0, narrowCount), narrowInverseSigmas: narrowInverseSigmas.subarray(0, narrowCount), scores: this.scores };
    const bounded: BoundedWindow = {
      ceiling,
      narrowOffsets: narrowOffsets.subarray(0, narrowCount),
      wideCentres: wideCentres.subarray(0, wideCount),
      wideInverseSigmas: wideInverseSigmas.subarray(0, wideCount),
      wideOffsets: wideOffsets.subarray(0, wideCount),
    };
    const kernel = { low, high };
    return {
      logPdfBounds(samples, tight = false) {
        const xs = samples[0] as Float64Array;
        const bound = new Float64Array(xs.length);
        const value = boundedLogPdf(xs, kernel, window, bounded, tight ? TIGHT_SHELL : 0, bound);
        return { value, bound };
      },
    };
  }

  /** Grows the scratch arrays for `components` components and trial ids up to `largestId`. */
  private reserve(components: number): void {
    if (this.sigmas.length >= components) return;
    const size = Math.max(components, 2 * this.sigmas.length, 64);
    this.centres = new Float64Array(size + 2);
    this.sortedComponents = new Int32Array(size);
    this.sigmas = new Float64Array(size);
    this.logSigmas = new Float64Array(size);
    this.logNormalizers = new Float64Array(size);
    this.narrowCentres = new Float64Array(size);
    this.narrowInverseSigmas = new Float64Array(size);
    this.narrowOffsets = new Float64Array(size);
    this.wideCentres = new Float64Array(size);
    this.wideInverseSigmas = new Float64Array(size);
    this.wideOffsets = new Float64Array(size);
    this.scores = new Float64Array(size);
  }
}
