/** What the choice reads of the bad group's density: a ParzenEstimator, or bounds from elsewhere with the estimator behind them. */
export interface BadDensity {
  logPdfBounds(samples: readonly Float64Array[], tight?: boolean): { value: Float64Array; bound: Float64Array } | null;
  logPdf(samples: readonly Float64Array[]): Float64Array;
}

/**
 * TPE's choice among its candidates: the first index s maximising l(x_s) / g(x_s), i.e.
 * logL[s] - logG[s] (strictly greater replaces, so ties keep the earlier candidate).
 *
 * Only the argmax matters, not the values of g, so g is first bounded cheaply
 * (`ParzenEstimator.logPdfBounds`: fewer components, with a bound on the rest), the
 * candidates whose interval reaches the best lower bound are bounded again more tightly,
 * and only those still in doubt are computed exactly (issue 14). Every other candidate's ratio is strictly below the maximum, so the first
 * maximiser is among those computed exactly and the choice is the same index, bit for bit,
 * as scoring every candidate exactly (`exactBestCandidate`). Where bounds are not
 * available or not finite, every candidate is scored exactly.
 */
export function bestCandidate(logL: Float64Array, bad: BadDensity, candidates: readonly Float64Array[]): number {
  const size = logL.length;
  const bounds = bad.logPdfBounds(candidates);
  if (bounds === null) return exactBestCandidate(logL, bad.logPdf(candidates));
  const { value, bound } = bounds;
  // Rounding allowance: the exact and the bounded sums differ in their float roundings by
  // about n ulps (n <= 2^20 components: < 1e-10 relative), and the subtraction by one ulp.
  const slack = new Float64Array(size);
  let bestLower = -Infinity;
  for (let s = 0; s < size; s++) {
    const l = logL[s] as number;
    const g = value[s] as number;
    if (!Number.isFinite(l) || !Number.isFinite(g)) return exactBestCandidate(logL, bad.logPdf(candidates));
    slack[s] = 1e-9 * (1 + Math.abs(l) + Math.abs(g));
    const lower = l - (g + (bound[s] as number)) - (slack[s] as number);
    if (lower > bestLower) bestLower = lower;
  }
  let contenders: number[] = [];
  for (let s = 0; s < size; s++) {
    const upper = (logL[s] as number) - (value[s] as number) + (slack[s] as number);
    if (upper >= bestLower) contenders.push(s);
  }
  if (contenders.length === 1) return contenders[0] as number;
  // Tighter bounds for the contenders. The candidate with the best lower bound is one of
  // them, so the best of their tighter lower bounds is still a lower bound on the maximum.
  const columns = (chosen: readonly number[]) => candidates.map((column) => Float64Array.from(chosen, (s) => column[s] as number));
  const tight = bad.logPdfBounds(columns(contenders), true) as { value: Float64Array; bound: Float64Array };
  bestLower = -Infinity;
  for (let k = 0; k < contenders.length; k++) {
    const s = contenders[k] as number;
    const lower = (logL[s] as number) - ((tight.value[k] as number) + (tight.bound[k] as number)) - (slack[s] as number);
    if (lower > bestLower) bestLower = lower;
  }
  contenders = contenders.filter((s, k) => (logL[s] as number) - (tight.value[k] as number) + (slack[s] as number) >= bestLower);
  if (contenders.length === 1) return contenders[0] as number;
  const exact = bad.logPdf(columns(contenders));
  let best = 0;
  for (let k = 1; k < contenders.length; k++) {
    const s = contenders[k] as number;
    const b = contenders[best] as number;
    if ((logL[s] as number) - (exact[k] as number) > (logL[b] as number) - (exact[best] as number)) best = k;
  }
  return contenders[best] as number;
}

/** The first index maximising logL[s] - logG[s] (the plain rule). */
export function exactBestCandidate(logL: Float64Array, logG: Float64Array): number {
  let best = 0;
  for (let s = 1; s < logL.length; s++) {
    if ((logL[s] as number) - (logG[s] as number) > (logL[best] as number) - (logG[best] as number)) best = s;
  }
  return best;
}
