/**
 * The Wilcoxon signed-rank test of paired samples (two-sided), as scipy.stats.wilcoxon
 * computes it with its defaults: zero differences dropped ("wilcox"), tied |d| share
 * their average rank, the exact null distribution when n <= 50 with no zero and no
 * tied |d| (scipy >= 1.13 also leaves exact on ties; 1.10 would misuse it), else the normal approximation with the tie correction and no continuity correction.
 */
import { normalUpperTail } from "./normal.ts";
import { averageRanks } from "./ranks.ts";

export interface WilcoxonResult {
  /** min(T+, T-), scipy's statistic for the two-sided test. */
  readonly statistic: number;
  /** Sum of the ranks of the positive differences x - y. */
  readonly tPlus: number;
  /** Two-sided p-value; NaN when no pair differs. */
  readonly p: number;
  /** Pairs left after dropping zero differences. */
  readonly n: number;
  readonly exact: boolean;
}

export function wilcoxonSignedRank(x: readonly number[], y: readonly number[]): WilcoxonResult {
  if (x.length !== y.length) throw new RangeError(`wilcoxonSignedRank: samples must pair up, got ${x.length} and ${y.length} values`);
  const d: number[] = [];
  let zeros = 0;
  x.forEach((v, i) => {
    const diff = v - (y[i] as number);
    if (Number.isNaN(diff)) throw new RangeError(`wilcoxonSignedRank: pair ${i} has no difference (${v} - ${y[i]})`);
    if (diff !== 0) d.push(diff);
    else zeros++;
  });
  const n = d.length;
  if (n === 0) return { statistic: 0, tPlus: 0, p: Number.NaN, n: 0, exact: false };
  const ranks = averageRanks(d.map(Math.abs));
  let tPlus = 0;
  d.forEach((v, i) => {
    if (v > 0) tPlus += ranks[i] as number;
  });
  const total = (n * (n + 1)) / 2;
  const statistic = Math.min(tPlus, total - tPlus);
  const ties = new Set(ranks).size !== n;
  if (!ties && zeros === 0 && n <= 50) {
    // counts[t] = number of sign assignments with T+ = t (subset sums of 1..n).
    const counts = new Array<number>(total + 1).fill(0);
    counts[0] = 1;
    for (let r = 1; r <= n; r++) for (let t = total; t >= r; t--) counts[t] = (counts[t] as number) + (counts[t - r] as number);
    let tail = 0;
    for (let t = 0; t <= statistic; t++) tail += counts[t] as number;
    return { statistic, tPlus, p: Math.min(1, (2 * tail) / 2 ** n), n, exact: true };
  }
  const mean = total / 2;
  let tieTerm = 0;
  const seen = new Map<number, number>();
  for (const r of ranks) seen.set(r, (seen.get(r) ?? 0) + 1);
  for (const t of seen.values()) tieTerm += t * t * t - t;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  if (variance <= 0) return { statistic, tPlus, p: 1, n, exact: false };
  const z = Math.abs(tPlus - mean) / Math.sqrt(variance);
  return { statistic, tPlus, p: Math.min(1, 2 * normalUpperTail(z)), n, exact: false };
}
