import { FAST_EXP_RELATIVE_ERROR, fastExp } from "./fast-exp.ts";
import { lowerBound, upperBound } from "./range-search.ts";

/** Narrow neighbours on each side of a point whose best score is the window's first floor. */
export const FLOOR_NEIGHBOURS = 4;

/**
 * The shells of the first and the tight pass: each evaluates the components within its first
 * margin and bounds the rest shell by shell (margin 41: beyond it a component is no term of
 * the exact log-sum-exp, which drops gaps below -40). Round 8 (issue 14) cut the six shells
 * of before ([8, 11, 15, 20, 28, 41]: two binary searches each per point, tight pass at 20)
 * to these, the bound being divided by the partial sum (below), which makes up for both.
 * Counted over 660 bad-group choices at N = 1,000 (hartmann6, after 100 model suggestions):
 * 95 choices with more than one contender after the first pass (82 with the six shells, 15%
 * of choices), no exact density needed.
 */
const FIRST_MARGINS = [8, 11, 41];
const TIGHT_MARGINS = [18, 41];
const FIRST_TERMS = FIRST_MARGINS.map((m) => Math.exp(-m));
const TIGHT_TERMS = TIGHT_MARGINS.map((m) => Math.exp(-m));

/**
 * What `keptBoundedLogPdf` reads: the bad group's components kept by `BadGroupKernels`
 * across suggestions, all of them (the prior too) in the estimator's sorted order, with
 * each one's offset split into the suggestion's log mixture weight (by slot)
 * and a part kept while the component's bandwidth stays (issue 14).
 *
 * A component's score at x is offset_c - z^2 / 2, z = (x - centre) / sigma, offset_c =
 * (log w_c + q_c) - shift: q_c = log sigma_c - log normaliser_c (bandwidth-weighted
 * scoring) or - log normaliser_c (normalized), shift = log(sum of w sigma) or 0. The
 * components wider than `reach` are also listed in the wide arrays (offsets included) and
 * are skipped in the sorted walk.
 */
export interface KeptWindow {
  readonly low: number;
  readonly high: number;
  /** Components, the first `count` entries by rank. */
  readonly count: number;
  readonly centres: Float64Array;
  readonly sigmas: Float64Array;
  readonly inverseSigmas: Float64Array;
  readonly q: Float64Array;
  /** Each component's slot in `logWeights`: 0 for the prior, trial id + 1 for an observation. */
  readonly slots: Int32Array;
  /** The suggestion's log mixture weights by slot. */
  readonly logWeights: Float64Array;
  readonly shift: number;
  readonly reach: number;
  /**
   * At least every narrow component's offset as computed here, (logWeights[slot] + q) - shift
   * (the largest log weight plus the largest q, rounding being monotone): no narrow component
   * scores above it.
   */
  readonly ceiling: number;
  readonly wideCount: number;
  readonly wideCentres: Float64Array;
  readonly wideInverseSigmas: Float64Array;
  readonly wideOffsets: Float64Array;
  /** Scratch, at least wideCount entries. */
  readonly wideScores: Float64Array;
}

/**
 * Bounds on a Parzen estimator's log density for TPE's argmax (best-candidate.ts): per point
 * x, a value and a bound with the exact log density in [value - rounding, value + bound +
 * rounding]. Used over the bad group's kept window (bad-group-bounds.ts) and over an
 * estimator's own window (`ParzenEstimator.logPdfBounds`).
 *
 * The argument: the floor is the best score among a few components (each is a term of the
 * sum); narrow components have sigma <= reach, so one at distance d from x scores at most
 * ceiling - (d / reach)^2 / 2, and the radius of margin m leaves out only components scoring
 * below floor - m. The components within the first margin (and every wide one) are summed
 * relative to the floor; the shells bound the rest: between two radii each skipped component
 * adds less than e^-margin, and the shells count every listed component there (wide ones
 * too, which only makes the bound larger). Offsets are formed per component visited,
 * (logWeights[slot] + q) - shift, so a kept window needs no pass over every component per
 * suggestion; they differ from the estimator's by the rounding of one addition (the caller's
 * allowance, 1e-9 relative, covers it).
 *
 * The tightening: with S the evaluated sum relative to the floor (S >= 1, the floor's own
 * component is a term) and E the shells' bound on the rest, the exact log density is at most
 * floor + log(S + E) = floor + log S + log1p(E / S) <= value + E / S, so the bound is E / S
 * rather than E (before round 8). Near a candidate S is about 8 at N = 1,000, so the bound
 * is about 8 times smaller and far fewer candidates reach the tight pass.
 *
 * The first pass sums with `fastExp`: the computed S' and the true S satisfy
 * S' / (1 + eps) <= S <= S' / (1 - eps), so the value is lowered by eps and the bound raised
 * by 2.5 eps (log(1 / (1 - eps) + E / S') <= 1.0000001 eps + E / S').
 */
export function keptBoundedLogPdf(xs: Float64Array, window: KeptWindow, tight: boolean, bound: Float64Array): Float64Array {
  const { low, high, count, centres, sigmas, inverseSigmas, q, slots, logWeights, shift, reach, ceiling } = window;
  const { wideCount, wideCentres, wideInverseSigmas, wideOffsets, wideScores } = window;
  const fast = !tight;
  const margins = tight ? TIGHT_MARGINS : FIRST_MARGINS;
  const terms = tight ? TIGHT_TERMS : FIRST_TERMS;
  const expError = fast ? FAST_EXP_RELATIVE_ERROR : 0;
  const out = new Float64Array(xs.length);
  for (let s = 0; s < xs.length; s++) {
    const x = xs[s] as number;
    if (!(x >= low && x <= high)) {
      out[s] = -Infinity;
      continue;
    }
    // A first floor: any component's score (each one is a term of the sum below).
    let floor = -Infinity;
    const at = lowerBound(centres, x, 0, count);
    const first = Math.max(0, at - FLOOR_NEIGHBOURS);
    const last = Math.min(count, at + FLOOR_NEIGHBOURS);
    for (let k = first; k < last; k++) {
      if ((sigmas[k] as number) > reach) continue;
      const z = (x - (centres[k] as number)) * (inverseSigmas[k] as number);
      const v = (logWeights[slots[k] as number] as number) + (q[k] as number) - shift - 0.5 * z * z;
      if (v > floor) floor = v;
    }
    for (let k = 0; k < wideCount; k++) {
      const z = (x - (wideCentres[k] as number)) * (wideInverseSigmas[k] as number);
      const v = (wideOffsets[k] as number) - 0.5 * z * z;
      wideScores[k] = v;
      if (v > floor) floor = v;
    }
    let sum = 0;
    const radius = reach * Math.sqrt(2 * (ceiling - floor + (margins[0] as number))) * (1 + 1e-9);
    const from = lowerBound(centres, x - radius, 0, at);
    const to = upperBound(centres, x + radius, at, count);
    if (fast) {
      for (let k = 0; k < wideCount; k++) sum += fastExp((wideScores[k] as number) - floor);
      for (let k = from; k < to; k++) {
        if ((sigmas[k] as number) > reach) continue;
        const z = (x - (centres[k] as number)) * (inverseSigmas[k] as number);
        sum += fastExp((logWeights[slots[k] as number] as number) + (q[k] as number) - shift - 0.5 * z * z - floor);
      }
    } else {
      for (let k = 0; k < wideCount; k++) sum += Math.exp((wideScores[k] as number) - floor);
      for (let k = from; k < to; k++) {
        if ((sigmas[k] as number) > reach) continue;
        const z = (x - (centres[k] as number)) * (inverseSigmas[k] as number);
        sum += Math.exp((logWeights[slots[k] as number] as number) + (q[k] as number) - shift - 0.5 * z * z - floor);
      }
    }
    out[s] = floor + Math.log(sum) - expError;
    let extra = 0;
    let left = from;
    let right = to;
    for (let j = 1; j < margins.length; j++) {
      const r = reach * Math.sqrt(2 * (ceiling - floor + (margins[j] as number))) * (1 + 1e-9);
      const shellLeft = lowerBound(centres, x - r, 0, left);
      const shellRight = upperBound(centres, x + r, right, count);
      extra += (left - shellLeft + shellRight - right) * (terms[j - 1] as number);
      left = shellLeft;
      right = shellRight;
    }
    bound[s] = (extra / sum) * (1 + 1e-6) + 2.5 * expError;
  }
  return out;
}
