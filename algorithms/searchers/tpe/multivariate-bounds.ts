import { LOG_SQRT_2PI, ndtr } from "../../math/normal.ts";
import type { WeightsMemo } from "./kernel-memo.ts";
import { EPS, mixtureWeights, type ParzenSettings } from "./parzen-estimator.ts";
import { truncnormLogPdf } from "./truncnorm.ts";

/**
 * Bounds on a multivariate bad group's log density (Optuna's joint kernels over d continuous
 * parameters, one bandwidth per dimension), for TPE's argmax from bounds (best-candidate.ts;
 * issue 14). A component's score at x is
 *   offset_c - Q_c(x),  Q_c = sum_d z_cd^2 / 2,  offset_c = log weight - sum_d log normaliser_cd,
 * and the normalisers (each a truncated-normal mass: two `ndtr`s) change with every n, since
 * the bandwidth 0.2 n^(-1/(d+4)) does. So the exact density needs n d masses per suggestion,
 * but the bounds need only the few components near each candidate: with centres inside the
 * bounds a mass is at least m_d = Phi(range / (2 sigma_d)) - 1/2, so every observation's
 * offset is at most U_c = log w_c + K (K from the m_d). Per candidate, Q_c is formed for every
 * component (no exponentials); the nearest component's exact score is the floor; components
 * with U_c - Q_c within `margin` of the floor are scored exactly (their masses computed once
 * per suggestion, on first need) and summed relative to the floor; every other one adds at
 * most e^-k, k = floor(floor - (U_c - Q_c)), counted per k. So the log density lies in
 * [value - rounding, value + bound + rounding], as `ParzenEstimator.logPdfBounds` promises.
 *
 * The log weights are those of bandwidth-weighted scoring up to rounding: log w + sum log sigma -
 * log(sum w prod sigma), without the exact log-sum-exp (whose terms below e^-40 are dropped:
 * a relative n e^-40, inside best-candidate.ts's allowance, as for univariate bounds).
 */
export interface MultivariateInput {
  /** One column per parameter of the bad group's observations (oldest first), all in bounds. */
  readonly columns: readonly Float64Array[];
  readonly lows: readonly number[];
  readonly highs: readonly number[];
  readonly settings: ParzenSettings;
  readonly weights: WeightsMemo;
}

const SIGMA0_MAGNITUDE = 0.2;
/** First pass: components within this of the floor are scored exactly (bounds of about 1e-2 at most). */
const MARGIN = 8;
/** Tight pass (the contenders of the first): bounds of about 1e-7. */
const TIGHT_MARGIN = 20;
/** Buckets of e^-k for skipped components; beyond the last, e^-LAST_BUCKET each. */
const LAST_BUCKET = 64;
const BUCKET_TERMS = Array.from({ length: LAST_BUCKET + 1 }, (_, k) => Math.exp(-k));

export class MultivariateBounds {
  private readonly n: number;
  private readonly components: number;
  private readonly d: number;
  private readonly columns: readonly Float64Array[];
  private readonly lows: readonly number[];
  private readonly highs: readonly number[];
  /** Per dimension: the observations' bandwidth and its inverse; the prior's is the range. */
  private readonly sigmas: Float64Array;
  private readonly inverseSigmas: Float64Array;
  /** log w_c plus the weighting's per-component terms, before the normalisers (see `offset`). */
  private readonly logWeightPart: Float64Array;
  /** Upper bound on every observation's offset minus its log weight part. */
  private readonly offsetCeiling: number;
  /** Exact offsets, computed on first need (`known`). */
  private readonly offsets: Float64Array;
  private readonly known: Uint8Array;
  private readonly scratch: Float64Array;

  private constructor(input: MultivariateInput, n: number, sigmas: Float64Array, logWeightPart: Float64Array, offsetCeiling: number) {
    this.n = n;
    this.d = input.columns.length;
    this.components = logWeightPart.length;
    this.columns = input.columns;
    this.lows = input.lows;
    this.highs = input.highs;
    this.sigmas = sigmas;
    this.inverseSigmas = sigmas.map((s) => 1 / s);
    this.logWeightPart = logWeightPart;
    this.offsetCeiling = offsetCeiling;
    this.offsets = new Float64Array(this.components);
    this.known = new Uint8Array(this.components);
    this.scratch = new Float64Array(this.components);
  }

  /** The bounds for a bad group, or null where they do not apply (then the estimator is asked). */
  static of(input: MultivariateInput): MultivariateBounds | null {
    const { columns, lows, highs, settings } = input;
    const d = columns.length;
    const n = columns[0]?.length ?? 0;
    if (!settings.multivariate || (settings.bandwidth ?? "optuna") !== "optuna" || !settings.considerPrior || n < 64) return null;
    const components = n + 1;
    const { weights, logWeights: base } = mixtureWeights(n, settings, input.weights);
    const sigma0 = SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (d + 4));
    const sigmas = new Float64Array(d);
    let ceilingMass = 0;
    for (let p = 0; p < d; p++) {
      const low = lows[p] as number;
      const high = highs[p] as number;
      const column = columns[p] as Float64Array;
      // The mass bound needs every centre inside the bounds.
      for (let c = 0; c < n; c++) if (!((column[c] as number) >= low && (column[c] as number) <= high)) return null;
      const range = high - low;
      const minSigma = settings.considerMagicClip
        ? range * Math.max(settings.minBandwidthFactor ?? 0.01, (1 + components) ** -(settings.magicClipExponent ?? 1))
        : EPS;
      const sigma = Math.min(Math.max(sigma0 * range, minSigma), range);
      sigmas[p] = sigma;
      // mass >= Phi(max(b, -a)) - 1/2 >= Phi(range / (2 sigma)) - 1/2; made a little smaller for ndtr's rounding.
      const lowest = (ndtr(range / (2 * sigma)) - 0.5) * (1 - 1e-9);
      if (!(lowest > 0)) return null;
      ceilingMass += -Math.log(lowest);
    }
    const bandwidthWeighted = settings.scoring === "bandwidth-weighted";
    // log weight part: bandwidth-weighted log w + sum log sigma - shift; normalized log w.
    const logWeightPart = new Float64Array(components);
    let logSigmaSum = 0;
    let logRangeSum = 0;
    let sigmaProduct = 1;
    let rangeProduct = 1;
    for (let p = 0; p < d; p++) {
      const range = (highs[p] as number) - (lows[p] as number);
      logSigmaSum += Math.log(sigmas[p] as number);
      logRangeSum += Math.log(range);
      sigmaProduct *= sigmas[p] as number;
      rangeProduct *= range;
    }
    let shift = 0;
    if (bandwidthWeighted) {
      let total = 0;
      for (let c = 0; c < n; c++) total += (weights[c] as number) * sigmaProduct;
      total += (weights[n] as number) * rangeProduct;
      shift = Math.log(total);
    }
    for (let c = 0; c < components; c++) {
      const own = c < n ? logSigmaSum : logRangeSum;
      logWeightPart[c] = bandwidthWeighted ? (base[c] as number) + own - shift : (base[c] as number);
    }
    // offset_c = logWeightPart_c - sum_d (log sigma_d + LOG_SQRT_2PI + log mass_cd) <= logWeightPart_c - logSigmaSum - d LOG_SQRT_2PI + ceilingMass.
    const offsetCeiling = -logSigmaSum - d * LOG_SQRT_2PI + ceilingMass * (1 + 1e-9) + 1e-9;
    if (!Number.isFinite(offsetCeiling) || !Number.isFinite(shift)) return null;
    return new MultivariateBounds(input, n, sigmas, logWeightPart, offsetCeiling);
  }

  /** As `ParzenEstimator.logPdfBounds`: one column per parameter. */
  logPdfBounds(samples: readonly Float64Array[], tight = false): { value: Float64Array; bound: Float64Array } {
    const size = samples[0]?.length ?? 0;
    const value = new Float64Array(size);
    const bound = new Float64Array(size);
    const margin = tight ? TIGHT_MARGIN : MARGIN;
    const { n, d, components, columns, inverseSigmas, logWeightPart, offsetCeiling } = this;
    const q = this.scratch;
    const buckets = new Float64Array(LAST_BUCKET + 1);
    for (let s = 0; s < size; s++) {
      let outside = false;
      for (let p = 0; p < d; p++) {
        const x = (samples[p] as Float64Array)[s] as number;
        if (!(x >= (this.lows[p] as number) && x <= (this.highs[p] as number))) outside = true;
      }
      if (outside) {
        value[s] = -Infinity;
        continue;
      }
      // Q_c for the observations, one dimension at a time (the first one sets them).
      for (let p = 0; p < d; p++) {
        const x = (samples[p] as Float64Array)[s] as number;
        const column = columns[p] as Float64Array;
        const inverse = inverseSigmas[p] as number;
        if (p === 0) {
          for (let c = 0; c < n; c++) {
            const z = (x - (column[c] as number)) * inverse;
            q[c] = 0.5 * z * z;
          }
        } else {
          for (let c = 0; c < n; c++) {
            const z = (x - (column[c] as number)) * inverse;
            q[c] = (q[c] as number) + 0.5 * z * z;
          }
        }
      }
      // The observations' upper bounds (kept in q), and the one with the best of them.
      let nearest = 0;
      let nearestUpper = -Infinity;
      for (let c = 0; c < n; c++) {
        const upper = (logWeightPart[c] as number) + offsetCeiling - (q[c] as number);
        q[c] = upper;
        if (upper > nearestUpper) {
          nearestUpper = upper;
          nearest = c;
        }
      }
      // The floor: the prior's exact score, and that observation's (its Q is its bound minus the offset ceiling).
      const prior = this.offset(n) - this.priorQ(samples, s);
      const nearestQ = (logWeightPart[nearest] as number) + offsetCeiling - nearestUpper;
      const floor = Math.max(prior, this.offset(nearest) - nearestQ);
      // Scored exactly within the margin, relative to the floor; the others bounded by buckets.
      let sum = Math.exp(prior - floor);
      buckets.fill(0);
      for (let c = 0; c < n; c++) {
        const upper = q[c] as number;
        const gap = floor - upper;
        if (gap < margin) {
          sum += Math.exp(this.offset(c) - ((logWeightPart[c] as number) + offsetCeiling - upper) - floor);
        } else {
          const k = gap >= LAST_BUCKET ? LAST_BUCKET : Math.floor(gap);
          buckets[k] = (buckets[k] as number) + 1;
        }
      }
      let extra = 0;
      for (let k = 0; k <= LAST_BUCKET; k++) if ((buckets[k] as number) > 0) extra += (buckets[k] as number) * (BUCKET_TERMS[k] as number);
      value[s] = floor + Math.log(sum);
      bound[s] = extra * (1 + 1e-6);
    }
    void components;
    return { value, bound };
  }

  /** The prior's Q at sample s (its bandwidth is each range, its centre the middle). */
  private priorQ(samples: readonly Float64Array[], s: number): number {
    let q = 0;
    for (let p = 0; p < this.d; p++) {
      const low = this.lows[p] as number;
      const high = this.highs[p] as number;
      const z = (((samples[p] as Float64Array)[s] as number) - 0.5 * (low + high)) / (high - low);
      q += 0.5 * z * z;
    }
    return q;
  }

  /** Component c's exact offset (log weight part minus its log normalisers), computed once. */
  private offset(c: number): number {
    if (this.known[c] === 1) return this.offsets[c] as number;
    let value = this.logWeightPart[c] as number;
    for (let p = 0; p < this.d; p++) {
      const low = this.lows[p] as number;
      const high = this.highs[p] as number;
      const prior = c === this.n;
      const sigma = prior ? high - low : (this.sigmas[p] as number);
      const mu = prior ? 0.5 * (low + high) : ((this.columns[p] as Float64Array)[c] as number);
      value -= Math.log(sigma) - truncnormLogPdf(0, (low - mu) / sigma, (high - mu) / sigma);
    }
    this.offsets[c] = value;
    this.known[c] = 1;
    return value;
  }
}
