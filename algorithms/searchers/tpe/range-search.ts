// Binary searches over a range of an ascending Float64Array: the window walks of TPE's Parzen
// estimators (parzen-estimator.ts) and of the bad group's bounded pass (bad-group-pass.ts).

/** First index in [from, to) of ascending `sorted` whose entry is > x. */
export function upperBound(sorted: Float64Array, x: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [from, to) of ascending `sorted` whose entry is >= x. */
export function lowerBound(sorted: Float64Array, x: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
