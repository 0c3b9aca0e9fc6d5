import type { Rng } from "../../../core/rng.ts";
import { truncnormQuantile } from "../tpe/truncnorm.ts";

/**
 * The multivariate product KDE BOHB uses (statsmodels' KDEMultivariate as HpBandSter
 * calls it): Gaussian kernels on continuous coordinates in [0, 1], Aitchison-Aitken
 * kernels on categorical ones, bandwidths by the normal reference rule
 * 1.06 sd n^(-1/(4+d)), clipped below at `minBandwidth`. Pure; rows are Float64Arrays.
 */
export interface ProductKde {
  readonly data: readonly Float64Array[];
  readonly bandwidths: Float64Array;
  /** 0 for continuous, else the number of categories. */
  readonly vartypes: readonly number[];
}

export function fitProductKde(data: readonly Float64Array[], vartypes: readonly number[], minBandwidth: number): ProductKde {
  const n = data.length;
  const d = vartypes.length;
  const bandwidths = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    let mean = 0;
    for (const row of data) mean += row[k] as number;
    mean /= n;
    let variance = 0;
    for (const row of data) variance += ((row[k] as number) - mean) ** 2;
    const sd = Math.sqrt(variance / n);
    bandwidths[k] = Math.max(1.06 * sd * n ** (-1 / (4 + d)), minBandwidth);
  }
  return { data, bandwidths, vartypes };
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Density (mass for categorical coordinates) of the KDE at x. */
export function kdePdf(kde: ProductKde, x: ArrayLike<number>): number {
  let total = 0;
  const d = kde.vartypes.length;
  for (const row of kde.data) {
    let product = 1;
    for (let k = 0; k < d; k++) {
      const bw = kde.bandwidths[k] as number;
      const levels = kde.vartypes[k] as number;
      if (levels === 0) {
        const z = ((x[k] as number) - (row[k] as number)) / bw;
        product *= (INV_SQRT_2PI * Math.exp(-0.5 * z * z)) / bw;
      } else {
        // Aitchison-Aitken: 1 - lambda on the same category, lambda / (c - 1) elsewhere.
        product *= x[k] === row[k] ? 1 - bw : bw / Math.max(levels - 1, 1);
      }
    }
    total += product;
  }
  return total / kde.data.length;
}

/**
 * HpBandSter's proposal around a good point: a normal truncated to [0, 1] with bandwidth
 * times `bandwidthFactor` for continuous coordinates; for categorical ones the same
 * category with probability 1 - bandwidth, else a uniform category.
 */
export function sampleAround(datum: Float64Array, kde: ProductKde, bandwidthFactor: number, minBandwidth: number, rng: Rng): Float64Array {
  const d = kde.vartypes.length;
  const out = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    const m = datum[k] as number;
    const levels = kde.vartypes[k] as number;
    let bw = Math.max(kde.bandwidths[k] as number, minBandwidth);
    if (levels === 0) {
      bw *= bandwidthFactor;
      out[k] = m + bw * truncnormQuantile(rng.next(), -m / bw, (1 - m) / bw);
    } else {
      out[k] = rng.next() < 1 - bw ? m : rng.int(levels);
    }
  }
  return out;
}
