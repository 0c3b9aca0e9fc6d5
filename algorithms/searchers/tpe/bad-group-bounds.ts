import { float64s, grown } from "../../math/grown.ts";
import { keptBoundedLogPdf, type KeptWindow } from "./bad-group-pass.ts";
import type { ComponentIndex } from "./component-index.ts";
import type { KernelMemo, SortedColumn, WeightsMemo } from "./kernel-memo.ts";
import {
  REACH_FACTORS,
  WINDOW_MIN_COMPONENTS,
  bandwidthFloor,
  chooseWindowReach,
  countWithinReach,
  mixtureWeights,
  neighbourGap,
  reachCategory,
  type ParzenSettings,
} from "./parzen-estimator.ts";
import { lowerBound } from "./range-search.ts";
import { truncnormLogPdf } from "./truncnorm.ts";

/**
 * The bounds on the bad group's density that TPE's argmax starts from (best-candidate.ts),
 * for one continuous parameter with Optuna's neighbour-gap bandwidths, built without
 * building the bad group's ParzenEstimator (issue 14).
 *
 * `ParzenEstimator.logPdfBounds` needs the estimator's kernels, its window and its
 * bounded window: about ten O(n) passes and as many fresh arrays per parameter and
 * suggestion. Here the bad group's components are kept across suggestions in sorted order
 * (`BadGroupKernels`), patched where trials joined the group, and the first and tight
 * passes read them directly (`keptBoundedLogPdf`, bad-group-pass.ts). The bandwidths, the
 * normalisers (through the parameter's `KernelMemo`), the reach and the shift are the
 * estimator's numbers (same expressions, same inputs; the kept state is checked against a
 * rebuild from scratch bit for bit); the offsets and the ceiling are not formed per
 * component, so the bounds are no longer the estimator's floats. They only need to contain
 * its exact log density, which `bad-group-bounds.property.test.ts` checks (after arbitrary
 * rounds of observations and group changes, and next to clusters of new observations).
 * Round 8 of docs/architecture/tpe-speed.md has the figures.
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


/** Most trials a patch inserts; more (or any that left the group) and the kept state is rebuilt. */
const PATCH_LIMIT = 32;

/**
 * One continuous parameter's builder of bad-group bounds, kept by the searcher across
 * suggestions. `bounds` returns null where the estimator's `logPdfBounds` would (fewer than
 * 64 components, a window not worth it, a non-finite offset) or an observation misses from
 * the sorted column.
 *
 * It keeps the bad group's components in sorted order with their bandwidths and the part of
 * their offsets that stays while the bandwidth does (`KeptWindow`). When a suggestion's bad
 * group is the previous one with trials appended (the usual case: a new trial joins the bad
 * group, the good group is unchanged), the kept components keep their component indices, so
 * each new trial is inserted at its sorted place and only the bandwidths next to it (two
 * ranks either side) are recomputed, by the same expressions as the estimator's
 * (`numericKernels`), with the counts that choose the window's reach kept up to date.
 * Otherwise (a trial left the bad group, the clip floor moved, no bandwidth at the floor)
 * the state is rebuilt from the sorted column in three O(n) passes as before. The offsets
 * are not formed per component: the first pass adds the suggestion's log weight when it
 * visits a component (`keptBoundedLogPdf`), and the ceiling is the largest log weight plus
 * the largest kept q (an upper bound on the exact maximum, at most about log 2 above it).
 * What is left per suggestion is O(n) in plain reads: the prefix check, the
 * bandwidth-weighted shift and the largest log weight.
 */
export class BadGroupKernels {
  // Kept, by sorted rank (`count` entries, the prior at `priorRank`); a slot is 0 for the prior, id + 1 for an observation.
  private rankCentres = new Float64Array(0);
  private rankSigmas = new Float64Array(0);
  private rankInverseSigmas = new Float64Array(0);
  private rankQ = new Float64Array(0);
  private rankSlots = new Int32Array(0);
  private count = 0;
  private priorRank = -1;
  private priorQ = 0;
  // Kept, by trial id (observations of the kept group).
  private sigmaById = new Float64Array(0);
  private qById = new Float64Array(0);
  /** 1 where the trial is in `wider` (bandwidth above `listFloor`). */
  private listed = new Uint8Array(0);
  /** Trials that may be wider than the floor, so candidates for the wide list; compacted on use. */
  private wider: number[] = [];
  private listFloor = 0;
  /** The kept state's bad group (the searcher's array, never changed after use); undefined: nothing kept to patch. */
  private keptIds: Int32Array | undefined;
  private keptSettings: ParzenSettings | undefined;
  private keptLow = Number.NaN;
  private keptHigh = Number.NaN;
  private keptMinSigma = Number.NaN;
  /** countWithinReach's counts over every component (prior included) relative to `smallest`. */
  private within = new Int32Array(REACH_FACTORS.length);
  private smallest = Number.NaN;
  /** Components whose bandwidth is the clip floor (then the smallest bandwidth is the floor). */
  private floorCount = 0;
  /** At least every observation's q. */
  private maxQ = -Infinity;
  // Per suggestion.
  private wideCentres = new Float64Array(0);
  private wideInverseSigmas = new Float64Array(0);
  private wideOffsets = new Float64Array(0);
  private wideScores = new Float64Array(0);
  /** Calls that patched the kept state, and that rebuilt it (read by tests and benchmarks). */
  patched = 0;
  rebuilt = 0;

  bounds(input: BadGroupInput): BadGroupBounds | null {
    const { ids, settings, low, high } = input;
    const n = ids.length;
    // Below this the estimator sorts its centres itself (stableArgsort; kernel-memo's orderOf above 64).
    if (n <= 64) return null;
    const components = n + (settings.considerPrior ? 1 : 0);
    if (components < WINDOW_MIN_COMPONENTS) return null;
    const minSigma = bandwidthFloor(settings, components, high - low);
    if (this.patch(input, n, components, minSigma)) this.patched++;
    else if (this.rebuild(input, n, components, minSigma)) this.rebuilt++;
    else return null;
    return this.prepare(input, n, components);
  }

  /**
   * Inserts the trials that joined the kept bad group; false where the group changed
   * otherwise (a trial left it, or too many joined: then the state must be rebuilt).
   */
  private patch(input: BadGroupInput, n: number, components: number, minSigma: number): boolean {
    const keptIds = this.keptIds;
    const { ids, values, memo, settings, low, high } = input;
    if (keptIds === undefined || settings !== this.keptSettings || low !== this.keptLow || high !== this.keptHigh || minSigma !== this.keptMinSigma) return false;
    const added = input.index.joined(keptIds, ids, PATCH_LIMIT);
    if (added === null) return false;
    const addedCount = added.length;
    const largest = ids[n - 1] as number;
    this.reserveKept(components, largest + 1);
    memo.reserve(largest + 2);
    const innerEnds = !settings.considerEndpoints && components + 2 >= 4;
    for (let a = 0; a < addedCount; a++) {
      const id = added[a] as number;
      const v = values[id] as number;
      if (Number.isNaN(v)) return false;
      const count = this.count;
      // (value, id) order, the prior after the observations equal to its centre.
      let r = lowerBound(this.rankCentres, v, 0, count);
      while (r < count && this.rankCentres[r] === v && r !== this.priorRank && (this.rankSlots[r] as number) - 1 < id) r++;
      this.rankCentres.copyWithin(r + 1, r, count);
      this.rankSigmas.copyWithin(r + 1, r, count);
      this.rankInverseSigmas.copyWithin(r + 1, r, count);
      this.rankQ.copyWithin(r + 1, r, count);
      this.rankSlots.copyWithin(r + 1, r, count);
      this.count = count + 1;
      if (this.priorRank >= r) this.priorRank++;
      this.rankCentres[r] = v;
      this.rankSlots[r] = id + 1;
      this.rankSigmas[r] = Number.NaN;
      this.listed[id] = 0;
      const last = Math.min(count, r + 2);
      for (let k = Math.max(0, r - 2); k <= last; k++) this.refresh(k, input, minSigma, innerEnds);
    }
    this.keptIds = ids;
    // The reach's counts are relative to the floor only while some bandwidth is at it.
    return this.floorCount > 0;
  }

  /** Recomputes the bandwidth of the observation at rank k and, where it changed, what depends on it. */
  private refresh(k: number, input: BadGroupInput, minSigma: number, innerEnds: boolean): void {
    if (k === this.priorRank) return;
    const sigma = this.bandwidthAt(k, input.low, input.high, minSigma, innerEnds);
    const old = this.rankSigmas[k] as number;
    if (old === sigma) return;
    const within = this.within;
    if (!Number.isNaN(old)) {
      const f = reachCategory(old, minSigma);
      if (f >= 0) within[f] = (within[f] as number) - 1;
      if (old === minSigma) this.floorCount--;
    }
    const f = reachCategory(sigma, minSigma);
    if (f >= 0) within[f] = (within[f] as number) + 1;
    if (sigma === minSigma) this.floorCount++;
    const slot = this.rankSlots[k] as number;
    const q = this.kernelQ(input, slot, this.rankCentres[k] as number, sigma);
    this.rankSigmas[k] = sigma;
    this.rankInverseSigmas[k] = 1 / sigma;
    this.rankQ[k] = q;
    this.keepObservation(slot - 1, sigma, q);
    if (q > this.maxQ) this.maxQ = q;
  }

  /** numericKernels' bandwidth of the observation at rank k of the kept centres: its `neighbourGap`, clipped to [minSigma, range]. */
  private bandwidthAt(k: number, low: number, high: number, minSigma: number, innerEnds: boolean): number {
    return Math.min(Math.max(neighbourGap(this.rankCentres, k, this.count, low, high, innerEnds), minSigma), high - low);
  }

  /** A component's q at bandwidth sigma (see KeptWindow), through the kernel memo (slot 0: the prior): the estimator's expressions. */
  private kernelQ(input: BadGroupInput, slot: number, mu: number, sigma: number): number {
    const { memo, low, high, settings } = input;
    let logSigma: number;
    let logNormalizer: number;
    if (memo.sigmas[slot] === sigma) {
      logNormalizer = memo.logNormalizers[slot] as number;
      logSigma = memo.logSigmas[slot] as number;
    } else {
      logSigma = Math.log(sigma);
      logNormalizer = logSigma - truncnormLogPdf(0, (low - mu) / sigma, (high - mu) / sigma);
      memo.sigmas[slot] = sigma;
      memo.logNormalizers[slot] = logNormalizer;
      memo.logSigmas[slot] = logSigma;
    }
    return settings.scoring === "bandwidth-weighted" ? logSigma - logNormalizer : -logNormalizer;
  }

  /** Keeps an observation's bandwidth and q by trial id, and lists it as a wide candidate when above the list's floor. */
  private keepObservation(id: number, sigma: number, q: number): void {
    this.sigmaById[id] = sigma;
    this.qById[id] = q;
    if (sigma > this.listFloor && this.listed[id] === 0) {
      this.listed[id] = 1;
      this.wider.push(id);
    }
  }

  /** The kept state from scratch, in three passes over the sorted column (false: an observation misses from it). */
  private rebuild(input: BadGroupInput, n: number, components: number, minSigma: number): boolean {
    const { ids, sorted, memo, settings, low, high } = input;
    this.keptIds = undefined;
    const priorCentre = 0.5 * (low + high);
    const last = ids[n - 1] as number;
    this.reserveKept(components, last + 1);
    memo.reserve(last + 2);

    // Pass 1, sorted order: the centres as `orderOf` orders them (the prior after equal centres), with their slots.
    const { stamp, epoch } = input.index.members(ids);
    const centres = this.rankCentres;
    const slots = this.rankSlots;
    let k = 0;
    let priorPending = settings.considerPrior;
    this.priorRank = -1;
    const sortedIds = sorted.ids;
    const sortedValues = sorted.values;
    for (let r = 0; r < sorted.size; r++) {
      const id = sortedIds[r] as number;
      if (id > last || stamp[id] !== epoch) continue;
      const v = sortedValues[r] as number;
      if (priorPending && v > priorCentre) {
        this.priorRank = k;
        slots[k] = 0;
        centres[k++] = priorCentre;
        priorPending = false;
      }
      slots[k] = id + 1;
      centres[k++] = v;
    }
    if (priorPending) {
      this.priorRank = k;
      slots[k] = 0;
      centres[k++] = priorCentre;
    }
    if (k !== components) return false;
    this.count = components;

    // Pass 2: the bandwidths (the prior spans the range), and the smallest.
    const range = high - low;
    const innerEnds = !settings.considerEndpoints && components + 2 >= 4;
    const sigmas = this.rankSigmas;
    let smallest = Infinity;
    for (let r = 0; r < components; r++) {
      const sigma = r === this.priorRank ? range : this.bandwidthAt(r, low, high, minSigma, innerEnds);
      sigmas[r] = sigma;
      smallest = Math.min(smallest, sigma);
    }

    // Pass 3: q (through the memo), buildWindow's counts, and the observations by trial id.
    const within = this.within;
    within.fill(0);
    let floorCount = 0;
    let maxQ = -Infinity;
    this.wider = [];
    this.listFloor = minSigma;
    for (let r = 0; r < components; r++) {
      const sigma = sigmas[r] as number;
      const slot = slots[r] as number;
      const q = this.kernelQ(input, slot, centres[r] as number, sigma);
      this.rankInverseSigmas[r] = 1 / sigma;
      this.rankQ[r] = q;
      countWithinReach(within, sigma, smallest);
      if (sigma === minSigma) floorCount++;
      if (r === this.priorRank) {
        this.priorQ = q;
        continue;
      }
      this.listed[slot - 1] = 0;
      this.keepObservation(slot - 1, sigma, q);
      if (q > maxQ) maxQ = q;
    }
    this.maxQ = maxQ;
    this.smallest = smallest;
    this.floorCount = floorCount;
    this.keptSettings = settings;
    this.keptLow = low;
    this.keptHigh = high;
    this.keptMinSigma = minSigma;
    // Patching keeps the reach's counts relative to the floor: only while the floor is the smallest bandwidth.
    this.keptIds = smallest === minSigma ? ids : undefined;
    return true;
  }

  /** The suggestion's window over the kept state: the reach, the shift, the ceiling and the wide components' offsets. */
  private prepare(input: BadGroupInput, n: number, components: number): BadGroupBounds | null {
    const { ids, values, settings, low, high } = input;
    const range = high - low;
    const reach = chooseWindowReach(this.within, this.smallest, components, low, high);
    if (reach === null) return null;
    const { weights, logWeights } = mixtureWeights(n, settings, input.weights);
    const considerPrior = settings.considerPrior;
    const sigmaById = this.sigmaById;
    // The bandwidth-weighted shift, summed in component order as the estimator sums it; the largest log weight.
    let total = 0;
    for (let c = 0; c < n; c++) total += (weights[c] as number) * (sigmaById[ids[c] as number] as number);
    const bySlot = input.index.logWeightsBySlot(ids, logWeights);
    let maxLogWeight = input.index.largestLogWeight;
    if (considerPrior) total += (weights[n] as number) * range;
    const shift = settings.scoring === "bandwidth-weighted" ? Math.log(total) : 0;
    let maxQ = this.maxQ;
    const priorWide = considerPrior && range > reach;
    if (considerPrior && !priorWide) {
      if ((logWeights[n] as number) > maxLogWeight) maxLogWeight = logWeights[n] as number;
      if (this.priorQ > maxQ) maxQ = this.priorQ;
    }
    const ceiling = maxLogWeight + maxQ - shift;
    if (!Number.isFinite(ceiling) || !Number.isFinite(shift)) return null;

    // The wide components: the prior where wider than the reach, and the listed observations that are.
    const wider = this.wider;
    const size = wider.length + 1;
    if (this.wideCentres.length < size) {
      const capacity = Math.max(size, 2 * this.wideCentres.length, 16);
      this.wideCentres = new Float64Array(capacity);
      this.wideInverseSigmas = new Float64Array(capacity);
      this.wideOffsets = new Float64Array(capacity);
      this.wideScores = new Float64Array(capacity);
    }
    const { wideCentres, wideInverseSigmas, wideOffsets } = this;
    let wideCount = 0;
    if (priorWide) {
      wideCentres[0] = this.rankCentres[this.priorRank] as number;
      wideInverseSigmas[0] = 1 / range;
      wideOffsets[0] = (logWeights[n] as number) + this.priorQ - shift;
      wideCount = 1;
    }
    const listFloor = this.listFloor;
    let keep = 0;
    for (let j = 0; j < wider.length; j++) {
      const id = wider[j] as number;
      const sigma = sigmaById[id] as number;
      if (!(sigma > listFloor)) {
        this.listed[id] = 0;
        continue;
      }
      wider[keep++] = id;
      if (sigma > reach) {
        wideCentres[wideCount] = values[id] as number;
        wideInverseSigmas[wideCount] = 1 / sigma;
        wideOffsets[wideCount++] = (bySlot[id + 1] as number) + (this.qById[id] as number) - shift;
      }
    }
    wider.length = keep;
    return new KeptBounds({
      low,
      high,
      count: this.count,
      centres: this.rankCentres,
      sigmas: this.rankSigmas,
      inverseSigmas: this.rankInverseSigmas,
      q: this.rankQ,
      slots: this.rankSlots,
      logWeights: bySlot,
      shift,
      reach,
      ceiling,
      wideCount,
      wideCentres,
      wideInverseSigmas,
      wideOffsets,
      wideScores: this.wideScores,
    });
  }

  /**
   * A copy of the kept components by rank (centre, bandwidth, q, slot), for checks: a patched
   * state must equal the state rebuilt from scratch for the same group, bit for bit.
   */
  keptState(): { centres: Float64Array; sigmas: Float64Array; q: Float64Array; slots: Int32Array; within: Int32Array } {
    const count = this.count;
    return {
      centres: this.rankCentres.slice(0, count),
      sigmas: this.rankSigmas.slice(0, count),
      q: this.rankQ.slice(0, count),
      slots: this.rankSlots.slice(0, count),
      within: this.within.slice(),
    };
  }

  /** Grows the kept arrays (contents kept) for `components` ranks and trial ids below `ids`. */
  private reserveKept(components: number, ids: number): void {
    if (this.rankCentres.length < components) {
      this.rankCentres = grown(this.rankCentres, components, float64s);
      this.rankSigmas = grown(this.rankSigmas, components, float64s);
      this.rankInverseSigmas = grown(this.rankInverseSigmas, components, float64s);
      this.rankQ = grown(this.rankQ, components, float64s);
      this.rankSlots = grown(this.rankSlots, components, (size) => new Int32Array(size));
    }
    if (this.sigmaById.length < ids) {
      this.sigmaById = grown(this.sigmaById, ids, float64s);
      this.qById = grown(this.qById, ids, float64s);
      this.listed = grown(this.listed, ids, (size) => new Uint8Array(size));
    }
  }
}

/** The bounds of one suggestion's bad group over the kept state (a class, not closures: no per-call function objects). */
class KeptBounds implements BadGroupBounds {
  constructor(private readonly window: KeptWindow) {}

  logPdfBounds(samples: readonly Float64Array[], tight = false): { value: Float64Array; bound: Float64Array } {
    const xs = samples[0] as Float64Array;
    const bound = new Float64Array(xs.length);
    const value = keptBoundedLogPdf(xs, this.window, tight, bound);
    return { value, bound };
  }
}
