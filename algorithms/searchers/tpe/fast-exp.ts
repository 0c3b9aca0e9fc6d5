/**
 * e^t with a proven relative error, for TPE's first bounded pass (issue 14, round 6).
 *
 * `keptBoundedLogPdf` (bad-group-pass.ts) only needs bounds on the bad group's density, not its floats, so the
 * ~100 exponentials per candidate of its first pass may be approximate as long as the
 * error is bounded and the bounds are widened by it. V8's `Math.exp` (fdlibm) is a call
 * that is not inlined; with this polynomial inlined instead, the first pass over 24
 * candidates took 1.47x (N = 1,000) and 1.63x (N = 2,000) less CPU time (a scratch A/B
 * in one process, order alternated, medians of 12 rounds; docs/architecture/tpe-speed.md,
 * round 6). In an isolated loop the two cost about the same (12-20 ns against 16 ns):
 * why the gain shows only inside that pass was not established.
 *
 * Method: t = k ln 2 + r with k = round(t / ln 2) and |r| <= ln 2 / 2 (plus a few ulps),
 * r computed with ln 2 split in two (Cody-Waite: k LN2_HI is exact for |k| < 2^21, so r
 * carries an absolute error of about 1e-16 |k|); e^r by its Taylor polynomial of degree 7
 * (Horner), and 2^k from a table of exact powers of two.
 *
 * Error: the Taylor remainder is at most |r|^8 / 8! e^|r| <= 0.3466^8 / 40320 * 1.415
 * = 7.4e-9 in absolute terms, 1.05e-8 relative to e^r >= e^-0.3466; Horner's 14
 * roundings add under 2e-15 and r's error under 1e-13 relative for |t| <= 745. So
 * |fastExp(t) - e^t| <= FAST_EXP_RELATIVE_ERROR e^t, with room to spare, for t in
 * [-708, 709]. Below -708 the result is 0 (an absolute error below e^-708, which the
 * caller's sums, each at least 1, cannot notice); above 709 and for NaN it is Math.exp.
 * `fast-exp.test.ts` checks the bound against Math.exp on random and extreme arguments.
 */

/** The most |fastExp(t) / e^t - 1| can be for t in [-708, 709] (a proven 1.1e-8, rounded up). */
export const FAST_EXP_RELATIVE_ERROR = 2e-8;

const LN2_HI = 0.6931471803691238; // ln 2 to 32 bits: k * LN2_HI is exact for |k| < 2^21.
const LN2_LO = 1.9082149292705877e-10; // ln 2 - LN2_HI.
const BIAS = 1075;
/** POW2[k + BIAS] = 2^k exactly, k from -1075 (0) to 1024 (Infinity). */
const POW2 = (() => {
  const table = new Float64Array(2 * BIAS);
  for (let k = 0; k < table.length; k++) table[k] = 2 ** (k - BIAS);
  return table;
})();

/** e^t within FAST_EXP_RELATIVE_ERROR (see above); 0 below -708. */
export function fastExp(t: number): number {
  if (!(t >= -708 && t <= 709)) return t < -708 ? 0 : Math.exp(t);
  const k = Math.round(t * Math.LOG2E);
  const r = t - k * LN2_HI - k * LN2_LO;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))));
  return p * (POW2[k + BIAS] as number);
}
