/** What the choice reads of the bad group's density: a ParzenEstimator, or bounds from elsewhere with the estimator behind them. */
export interface BadDensity {
  logPdfBounds(samples: readonly Float64Array[], tight?: boolean): { value: Float64Array; bound: Float64Array } | null;
  logPdf(samples: readonly Float64Array[]): Float64Array;
  /**
   * Optional: per candidate, a cheap lower bound on the log density (up to the rounding that
   * `logPdfBounds`' value allows; -Infinity outside the support). With it, candidates are
   * bounded one at a time, best cheap ratio first, and those whose cheap upper bound on the
   * ratio falls below the best lower bound so far are never bounded (`bestCandidate`).
   */
  logPdfLower?(samples: readonly Float64Array[]): Float64Array;
  /**
   * Optional, used with `logPdfLower`: bounds between the first pass's and the tight pass's
   * (multivariate: margin 14 between 11 and 20), cheaper than the tight ones; the first pass's
   * contenders go through it before the tight pass. The top two ratios typically differ by
   * 1e-4 to 1e-2, so most cases end here.
   */
  logPdfBoundsMiddle?(samples: readonly Float64Array[]): { value: Float64Array; bound: Float64Array };
  /**
   * Optional, used with `logPdfLower`: as the first pass of `logPdfBounds`, except that a
   * candidate s may stop as soon as an exact part e of its log density (a lower bound) shows
   * logL[s] - e + 1e-9 (1 + |logL[s]| + |e|) < bestLower, the contender test below: its
   * value is then e and its bound Infinity.
   */
  logPdfBoundsOrDominated?(samples: readonly Float64Array[], logL: Float64Array, bestLower: number): { value: Float64Array; bound: Float64Array };
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
  if (bad.logPdfLower !== undefined) {
    const chosen = lazyBestCandidate(logL, bad, candidates, bad.logPdfLower(candidates));
    if (chosen !== null) return chosen;
  }
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
  const contenders: number[] = [];
  for (let s = 0; s < size; s++) {
    const upper = (logL[s] as number) - (value[s] as number) + (slack[s] as number);
    if (upper >= bestLower) contenders.push(s);
  }
  return resolveContenders(logL, bad, candidates, contenders, slack);
}

/**
 * `bestCandidate` with a cheap lower bound on the bad density (multivariate TPE: the prior's
 * own score; issue 14). A candidate's ratio is at most logL - lower (plus slack), so the
 * candidates are bounded one at a time in decreasing order of that, and the loop stops at the
 * first whose cheap upper bound is below the best lower bound so far: it and every one after
 * it are strictly below the maximum, as a candidate the first pass drops is. The contenders
 * (ascending, as the first pass gives them) then go on as there, through the middle bounds
 * first where the density has them. Null where a value is not
 * finite (then the plain first pass runs, whose fallback handles it).
 */
function lazyBestCandidate(logL: Float64Array, bad: BadDensity, candidates: readonly Float64Array[], lower: Float64Array): number | null {
  const size = logL.length;
  const cheapUpper = new Float64Array(size);
  for (let s = 0; s < size; s++) {
    const l = logL[s] as number;
    const g = lower[s] as number;
    if (!Number.isFinite(l) || !Number.isFinite(g)) return null;
    cheapUpper[s] = l - g + 1e-9 * (1 + Math.abs(l) + Math.abs(g));
  }
  const order = Array.from({ length: size }, (_, s) => s).sort((a, b) => (cheapUpper[b] as number) - (cheapUpper[a] as number) || a - b);
  const value = new Float64Array(size);
  const slack = new Float64Array(size);
  const bounded = new Uint8Array(size);
  const one = candidates.map(() => new Float64Array(1));
  let bestLower = -Infinity;
  for (const s of order) {
    if ((cheapUpper[s] as number) < bestLower) break;
    for (let p = 0; p < candidates.length; p++) (one[p] as Float64Array)[0] = (candidates[p] as Float64Array)[s] as number;
    const bounds = bad.logPdfBoundsOrDominated !== undefined ? bad.logPdfBoundsOrDominated(one, logL.subarray(s, s + 1), bestLower) : bad.logPdfBounds(one);
    if (bounds === null) return null;
    const l = logL[s] as number;
    const g = bounds.value[0] as number;
    if (!Number.isFinite(g)) return null;
    value[s] = g;
    slack[s] = 1e-9 * (1 + Math.abs(l) + Math.abs(g));
    bounded[s] = 1;
    const lowerRatio = l - (g + (bounds.bound[0] as number)) - (slack[s] as number);
    if (lowerRatio > bestLower) bestLower = lowerRatio;
  }
  const contenders: number[] = [];
  for (let s = 0; s < size; s++) {
    if (bounded[s] === 1 && (logL[s] as number) - (value[s] as number) + (slack[s] as number) >= bestLower) contenders.push(s);
  }
  return resolveContenders(logL, bad, candidates, contenders, slack, bad.logPdfBoundsMiddle?.bind(bad));
}

/** From the first pass's contenders (ascending): the tight pass, then the exact density for those still in doubt. */
function resolveContenders(logL: Float64Array, bad: BadDensity, candidates: readonly Float64Array[], first: number[], slack: Float64Array, middle?: BadDensity["logPdfBoundsMiddle"]): number {
  let contenders = first;
  if (contenders.length === 1) return contenders[0] as number;
  // Tighter bounds for the contenders. The candidate with the best lower bound is one of
  // them, so the best of their tighter lower bounds is still a lower bound on the maximum.
  const columns = (chosen: readonly number[]) => candidates.map((column) => Float64Array.from(chosen, (s) => column[s] as number));
  const narrow = (bounds: { value: Float64Array; bound: Float64Array }): number[] => {
    let bestLower = -Infinity;
    for (let k = 0; k < contenders.length; k++) {
      const s = contenders[k] as number;
      const lower = (logL[s] as number) - ((bounds.value[k] as number) + (bounds.bound[k] as number)) - (slack[s] as number);
      if (lower > bestLower) bestLower = lower;
    }
    return contenders.filter((s, k) => (logL[s] as number) - (bounds.value[k] as number) + (slack[s] as number) >= bestLower);
  };
  if (middle !== undefined) {
    contenders = narrow(middle(columns(contenders)));
    if (contenders.length === 1) return contenders[0] as number;
  }
  contenders = narrow(bad.logPdfBounds(columns(contenders), true) as { value: Float64Array; bound: Float64Array });
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
