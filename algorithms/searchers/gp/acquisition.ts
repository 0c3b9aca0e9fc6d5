import type { Rng } from "../../../core/rng.ts";
import { ndtr } from "../../math/normal.ts";

/**
 * Acquisition functions over a GP posterior for minimisation, and their maximiser.
 * Pure: the posterior comes in as numbers, randomness as an Rng.
 */
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** E[max(best - xi - f, 0)] for f ~ N(mean, variance). */
export function expectedImprovement(mean: number, variance: number, best: number, xi: number): number {
  const sd = Math.sqrt(variance);
  const improvement = best - xi - mean;
  if (sd < 1e-12) return Math.max(improvement, 0);
  const z = improvement / sd;
  return improvement * ndtr(z) + sd * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** Negated lower confidence bound (higher is better): -(mean - kappa sd). */
export function negativeLowerConfidenceBound(mean: number, variance: number, kappa: number): number {
  return -(mean - kappa * Math.sqrt(variance));
}

export interface AcquisitionSearch {
  /** Uniform random points in the unit cube. @defaultValue 1000 */
  readonly randomCandidates: number;
  /** Best random points refined locally. @defaultValue 5 */
  readonly localStarts: number;
  /** (1+1)-ES steps per local start. @defaultValue 30 */
  readonly localSteps: number;
}

/**
 * Maximises `score` over [0, 1]^dimension: uniform random candidates (plus `seeds`, e.g. the
 * best observed points), then a (1+1) evolution strategy with step-size adaptation from the
 * best few. `canonical` maps a raw point onto the space (one-hot, integer cells) in place.
 * `scoreMany`, where given, scores m points (rows of a flat m x dimension array) at once and
 * must equal `score` on each.
 */
export function maximizeAcquisition(
  score: (x: Float64Array) => number,
  dimension: number,
  rng: Rng,
  search: AcquisitionSearch,
  seeds: readonly Float64Array[],
  canonical: (x: Float64Array) => Float64Array,
  scoreMany?: (points: Float64Array, m: number) => Float64Array,
): Float64Array {
  // The random candidates as rows of one flat array (drawn in the same order as one array
  // each), snapped onto the space in place; `canonical` may also return a new array.
  const m = search.randomCandidates;
  const flat = new Float64Array(m * dimension);
  for (let c = 0; c < m; c++) {
    const x = flat.subarray(c * dimension, (c + 1) * dimension);
    for (let k = 0; k < dimension; k++) x[k] = rng.next();
    const snapped = canonical(x);
    if (snapped !== x) x.set(snapped);
  }
  let values: Float64Array;
  if (scoreMany !== undefined) {
    // In one batch (the same values as one `score` call each).
    values = scoreMany(flat, m);
  } else {
    values = new Float64Array(m);
    for (let c = 0; c < m; c++) values[c] = score(flat.subarray(c * dimension, (c + 1) * dimension));
  }
  const seedValues = seeds.map((seed) => score(seed));
  // The best `localStarts` of candidates then seeds, by value, earlier first among equals:
  // the head of the stable descending sort of all of them, without an object per candidate
  // (their allocation and the sort were a tenth of a suggestion, issue 14).
  const pool = topEntries(values, seedValues, Math.max(1, search.localStarts), (i) =>
    i < m ? flat.slice(i * dimension, (i + 1) * dimension) : Float64Array.from(seeds[i - m] as Float64Array),
  );
  // The (1+1)-ES from each start. Each start's steps depend only on its own scores, and the
  // normals are drawn start by start, step by step, coordinate by coordinate: drawn up front
  // in that order, they are the same numbers and leave the stream where the loop left it.
  // So the starts can step in lockstep, and step t of every start is scored in one batch
  // (`scoreMany` equals `score` point by point): one pass over the factor for all starts
  // instead of one `predict` each (issue 14, round 6).
  const starts = Math.min(search.localStarts, pool.length);
  const steps = search.localSteps;
  const normals = new Float64Array(starts * steps * dimension);
  for (let i = 0; i < normals.length; i++) normals[i] = rng.normal();
  const current = pool.slice(0, starts) as Array<{ x: Float64Array; value: number }>;
  const stepSize = new Float64Array(starts).fill(0.1);
  const batch = new Float64Array(starts * dimension);
  const points: Float64Array[] = new Array<Float64Array>(starts);
  for (let t = 0; t < steps; t++) {
    for (let s = 0; s < starts; s++) {
      const from = (current[s] as { x: Float64Array }).x;
      const at = (s * steps + t) * dimension;
      const proposal = new Float64Array(dimension);
      for (let k = 0; k < dimension; k++) proposal[k] = Math.min(Math.max((from[k] as number) + (stepSize[s] as number) * (normals[at + k] as number), 0), 1);
      const point = canonical(proposal);
      points[s] = point;
      batch.set(point, s * dimension);
    }
    const stepValues = scoreMany !== undefined ? scoreMany(batch, starts) : Float64Array.from(points, (point) => score(point));
    for (let s = 0; s < starts; s++) {
      const value = stepValues[s] as number;
      if (value > (current[s] as { value: number }).value) {
        current[s] = { x: points[s] as Float64Array, value };
        stepSize[s] = (stepSize[s] as number) * 1.5;
      } else {
        stepSize[s] = (stepSize[s] as number) * 0.8;
      }
    }
  }
  let best = pool[0] as { x: Float64Array; value: number };
  for (let s = 0; s < starts; s++) if ((current[s] as { value: number }).value > best.value) best = current[s] as { x: Float64Array; value: number };
  return best.x;
}

/**
 * The `count` best of values[0..m) then extra[0..), highest first, the earlier first among
 * equal values (the head of a stable descending sort), as { x: point(i), value }. A NaN
 * value sorts as the comparator `b - a` would leave it: unordered, so with one the whole
 * list is sorted the way the comparator sorts it, stably.
 */
function topEntries(
  values: Float64Array,
  extra: readonly number[],
  count: number,
  point: (index: number) => Float64Array,
): Array<{ x: Float64Array; value: number }> {
  const m = values.length;
  const total = m + extra.length;
  const valueAt = (i: number): number => (i < m ? (values[i] as number) : (extra[i - m] as number));
  let hasNaN = false;
  for (let i = 0; i < total && !hasNaN; i++) hasNaN = Number.isNaN(valueAt(i));
  let chosen: number[];
  if (hasNaN) {
    chosen = Array.from({ length: total }, (_, i) => i).sort((a, b) => valueAt(b) - valueAt(a)).slice(0, count);
  } else {
    chosen = [];
    for (let i = 0; i < total; i++) {
      const v = valueAt(i);
      if (chosen.length === count && !(v > valueAt(chosen[count - 1] as number))) continue;
      // After every entry with a value >= v (stable: an equal earlier entry stays first).
      let at = chosen.length;
      while (at > 0 && valueAt(chosen[at - 1] as number) < v) at--;
      chosen.splice(at, 0, i);
      if (chosen.length > count) chosen.pop();
    }
  }
  return chosen.map((i) => ({ x: point(i), value: valueAt(i) }));
}
