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
  const pool: Array<{ x: Float64Array; value: number }> = [];
  const points: Float64Array[] = [];
  for (let c = 0; c < search.randomCandidates; c++) {
    const x = new Float64Array(dimension);
    for (let k = 0; k < dimension; k++) x[k] = rng.next();
    points.push(canonical(x));
  }
  if (scoreMany !== undefined) {
    // The random candidates in one batch (the same values as one `score` call each).
    const flat = new Float64Array(points.length * dimension);
    points.forEach((point, c) => flat.set(point, c * dimension));
    const values = scoreMany(flat, points.length);
    points.forEach((point, c) => pool.push({ x: point, value: values[c] as number }));
  } else {
    for (const point of points) pool.push({ x: point, value: score(point) });
  }
  for (const seed of seeds) pool.push({ x: Float64Array.from(seed), value: score(seed) });
  pool.sort((a, b) => b.value - a.value);
  let best = pool[0] as { x: Float64Array; value: number };
  for (let s = 0; s < Math.min(search.localStarts, pool.length); s++) {
    let current = pool[s] as { x: Float64Array; value: number };
    let step = 0.1;
    for (let t = 0; t < search.localSteps; t++) {
      const proposal = new Float64Array(dimension);
      for (let k = 0; k < dimension; k++) proposal[k] = Math.min(Math.max((current.x[k] as number) + step * rng.normal(), 0), 1);
      const point = canonical(proposal);
      const value = score(point);
      if (value > current.value) {
        current = { x: point, value };
        step *= 1.5;
      } else {
        step *= 0.8;
      }
    }
    if (current.value > best.value) best = current;
  }
  return best.x;
}
