import type { CurvePoint } from "../cell-record.ts";

/** Which axis of a curve point: 0 simulated seconds, 1 GPU-seconds of training. */
export type Axis = 0 | 1;

/** The incumbent's normalised regret at `x` on `axis`: the last point at or before x; Infinity before the first result. */
export function regretAt(curve: readonly CurvePoint[], axis: Axis, x: number): number {
  let regret = Number.POSITIVE_INFINITY;
  for (const point of curve) {
    if (point[axis] > x) break;
    regret = point[2];
  }
  return regret;
}

/** Simulated seconds until the incumbent's normalised regret is <= target (Infinity: never). */
export function timeToTarget(curve: readonly CurvePoint[], target: number): number {
  for (const point of curve) if (point[2] <= target) return point[0];
  return Number.POSITIVE_INFINITY;
}
