/**
 * The Mann-Whitney U rank test of two independent samples (exact without ties
 * for small samples, else the normal approximation with tie and continuity
 * corrections).
 */
import { normalUpperTail } from "./normal.ts";

export interface MannWhitneyResult {
  /** U of the first sample: the number of pairs (x, y) with x > y, ties counting one half. */
  readonly u: number;
  /** Two-sided p-value. */
  readonly p: number;
  readonly exact: boolean;
}

/**
 * Mann-Whitney U test of `x` against `y` (two-sided). Infinite values rank like
 * any other (an unreached target as +Infinity time ranks last).
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return { u: Number.NaN, p: Number.NaN, exact: false };
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  const pooled = [...x, ...y].sort((a, b) => a - b);
  let ties = false;
  let tieTerm = 0;
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    while (j + 1 < pooled.length && pooled[j + 1] === pooled[i]) j++;
    const t = j - i + 1;
    if (t > 1) {
      ties = true;
      tieTerm += t * t * t - t;
    }
    i = j + 1;
  }
  const mean = (n1 * n2) / 2;
  if (!ties && n1 <= 30 && n2 <= 30) {
    // Exact: P(U <= u) from the count of arrangements with each U.
    const counts = uDistribution(n1, n2);
    const total = counts.reduce((s, c) => s + c, 0);
    const extreme = Math.min(u, n1 * n2 - u);
    let tail = 0;
    for (let k = 0; k <= extreme; k++) tail += counts[k] as number;
    return { u, p: Math.min(1, (2 * tail) / total), exact: true };
  }
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, p: 1, exact: false };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalUpperTail(Math.max(0, z))), exact: false };
}

/** counts[k] = number of orderings of n1 x's and n2 y's with U = k. */
function uDistribution(n1: number, n2: number): number[] {
  // f[i][j][k] by the recursion on the largest element: it is an x (adds j to U) or a y.
  let previous: number[][] = [];
  for (let i = 0; i <= n1; i++) {
    const row: number[][] = [];
    for (let j = 0; j <= n2; j++) {
      const counts = new Array<number>(i * j + 1).fill(0);
      if (i === 0 || j === 0) counts[0] = 1;
      else {
        const fromX = previous[j] as number[];
        const fromY = row[j - 1] as number[];
        for (let k = 0; k < fromY.length; k++) counts[k] = (counts[k] as number) + (fromY[k] as number);
        for (let k = 0; k < fromX.length; k++) counts[k + j] = (counts[k + j] as number) + (fromX[k] as number);
      }
      row.push(counts);
    }
    previous = row;
  }
  return previous[n2] as number[];
}
