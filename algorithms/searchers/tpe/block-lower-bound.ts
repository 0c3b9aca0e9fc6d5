import { FAST_EXP_RELATIVE_ERROR, fastExp } from "./fast-exp.ts";

/**
 * A cheap lower bound on a one-dimensional Gaussian mixture's log density, for univariate
 * TPE's bad group (issue 14, round 7). With it, `bestCandidate` bounds only the candidates
 * whose ratio l / g can still be the largest (`BadDensity.logPdfLower`), instead of running
 * the first pass (~74 narrow components at N = 1,000, ~150 at N = 2,000, and the shells)
 * for all 24.
 *
 * The narrow components, sorted by centre, are cut into blocks of `size` consecutive ones.
 * Within a block, with linear weights w_k = e^(offset_k - ceiling) (the score at the centre,
 * relative to the largest), Jensen's inequality (e^u convex) gives
 *
 *   log sum_k w_k e^(-z_k^2 / 2) >= log W - sum_k w_k z_k^2 / (2 W),   W = sum_k w_k,
 *
 * and sum_k w_k z_k^2 = sum_k w_k s_k^2 ((x - m) - d_k)^2 = (x - m)^2 A - 2 (x - m) B + C
 * with s = 1 / bandwidth, d_k = centre_k - m (m: the block's first centre, so the sums stay
 * local and do not cancel), A = sum w s^2, B = sum w d s^2, C = sum w d^2 s^2: four numbers
 * per block, kept per suggestion, and O(1) per block and point. Blocks span about 0.3
 * bandwidths, so the scores within one differ little and the bound loses little. The
 * blocks within `BLOCK_REACH` widest narrow bandwidths of the point and every wide
 * component (scored exactly) are disjoint parts of the mixture, whose terms are all
 * positive, so the log of their summed lower bounds is a lower bound on the log density.
 *
 * Rounding: w_k comes from `fastExp` (relative error eps), so the weights used are w_k (1 + d)
 * with |d| <= eps, which lowers the true sum by at most a factor 1 + eps: minus eps. The
 * combination sums with `fastExp` too: minus eps again. Each block's quadratic is computed
 * from sums of a few positive terms: its error is under 1e-12 of the absolute terms, which
 * is subtracted. The offsets are those of `boundedLogPdf` (bad-group-bounds.ts), so the
 * bound has the same rounding allowance against the exact estimator as that value.
 */
export class BlockLowerBound {
  /** Narrow components per block. */
  size = 1;
  count = 0;
  private ceiling = 0;
  private origin = new Float64Array(0);
  private logWeight = new Float64Array(0);
  private inverseWeight = new Float64Array(0);
  private a = new Float64Array(0);
  private b = new Float64Array(0);
  private c = new Float64Array(0);
  private stamp = new Int32Array(0);
  private epoch = 0;
  private centres: Float64Array = new Float64Array(0);
  private inverseSigmas: Float64Array = new Float64Array(0);
  private offsets: Float64Array = new Float64Array(0);

  /**
   * Sums the blocks of the narrow components (`centres` ascending, with `inverseSigmas` and
   * `offsets` in that order; `ceiling` their largest offset). `perBandwidth`: about how many
   * narrow centres lie within one bandwidth.
   */
  build(centres: Float64Array, inverseSigmas: Float64Array, offsets: Float64Array, ceiling: number, perBandwidth: number): void {
    const narrow = centres.length;
    const size = Math.max(1, Math.min(32, Math.floor(BLOCK_SPAN * perBandwidth)));
    const count = Math.ceil(narrow / size);
    if (this.origin.length < count) {
      const grown = Math.max(count, 2 * this.origin.length, 16);
      this.origin = new Float64Array(grown);
      this.logWeight = new Float64Array(grown);
      this.inverseWeight = new Float64Array(grown);
      this.a = new Float64Array(grown);
      this.b = new Float64Array(grown);
      this.c = new Float64Array(grown);
      this.stamp = new Int32Array(grown);
      this.epoch = 0;
    }
    // Blocks are summed on first use (only those near some candidate are ever needed).
    this.epoch = this.epoch === 0x7fffffff ? 1 : this.epoch + 1;
    if (this.epoch === 1) this.stamp.fill(0);
    this.size = size;
    this.count = count;
    this.ceiling = ceiling;
    this.centres = centres;
    this.inverseSigmas = inverseSigmas;
    this.offsets = offsets;
  }

  /** Sums one block (see the class comment). */
  private sum(block: number): void {
    const { centres, inverseSigmas, offsets, ceiling } = this;
    const from = block * this.size;
    const to = Math.min(centres.length, from + this.size);
    const m = centres[from] as number;
    let w = 0;
    let a = 0;
    let b = 0;
    let c = 0;
    for (let k = from; k < to; k++) {
      const weight = fastExp((offsets[k] as number) - ceiling);
      const s = inverseSigmas[k] as number;
      const ws2 = weight * s * s;
      const d = (centres[k] as number) - m;
      w += weight;
      a += ws2;
      b += ws2 * d;
      c += ws2 * d * d;
    }
    this.origin[block] = m;
    this.logWeight[block] = Math.log(w);
    this.inverseWeight[block] = 1 / w;
    this.a[block] = a;
    this.b[block] = b;
    this.c[block] = c;
    this.stamp[block] = this.epoch;
  }

  /**
   * The lower bound at each of `xs` (-Infinity outside [low, high], as the density), from the
   * blocks whose centres reach within `BLOCK_REACH * reach` of the point and the wide components.
   */
  logPdfLower(
    xs: Float64Array,
    low: number,
    high: number,
    centres: Float64Array,
    reach: number,
    wide: { readonly centres: Float64Array; readonly inverseSigmas: Float64Array; readonly offsets: Float64Array },
    scratch: Float64Array,
  ): Float64Array {
    const { size, count, ceiling, origin, logWeight, inverseWeight, a, b, c, stamp, epoch } = this;
    const wideCount = wide.centres.length;
    const radius = BLOCK_REACH * reach;
    const out = new Float64Array(xs.length);
    for (let s = 0; s < xs.length; s++) {
      const x = xs[s] as number;
      if (!(x >= low && x <= high)) {
        out[s] = -Infinity;
        continue;
      }
      let terms = 0;
      let best = -Infinity;
      const first = count === 0 ? 0 : Math.floor(firstAtLeast(centres, x - radius) / size);
      const last = count === 0 ? -1 : Math.min(count - 1, Math.floor(Math.max(0, firstAbove(centres, x + radius) - 1) / size));
      for (let block = first; block <= last; block++) {
        if (stamp[block] !== epoch) this.sum(block);
        const t = x - (origin[block] as number);
        const quadratic = t * t * (a[block] as number);
        const cross = 2 * t * (b[block] as number);
        const q = Math.max(0, quadratic - cross + (c[block] as number));
        const half = 0.5 * (inverseWeight[block] as number);
        const lw = logWeight[block] as number;
        // Every weight below e^-708 of the ceiling (fastExp's 0): the block adds nothing.
        if (lw === -Infinity) continue;
        const v = ceiling + lw - q * half - 1e-12 * (1 + (quadratic + Math.abs(cross) + (c[block] as number)) * half + Math.abs(lw) + Math.abs(ceiling));
        scratch[terms++] = v;
        if (v > best) best = v;
      }
      for (let k = 0; k < wideCount; k++) {
        const z = (x - (wide.centres[k] as number)) * (wide.inverseSigmas[k] as number);
        const v = (wide.offsets[k] as number) - 0.5 * z * z;
        scratch[terms++] = v;
        if (v > best) best = v;
      }
      if (best === -Infinity) {
        out[s] = -Infinity;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < terms; k++) sum += fastExp((scratch[k] as number) - best);
      out[s] = best + Math.log(sum) - 2 * FAST_EXP_RELATIVE_ERROR - 1e-12 * (1 + Math.abs(best));
    }
    return out;
  }
}

/** A block spans about this many bandwidths (the scores within it differ by about z times this). */
const BLOCK_SPAN = 0.5;
/** Blocks with a centre within this many window reaches (the widest narrow bandwidth) of the point count. */
const BLOCK_REACH = 2.5;

/** First index of ascending `sorted` whose entry is >= x. */
function firstAtLeast(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index of ascending `sorted` whose entry is > x. */
function firstAbove(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
