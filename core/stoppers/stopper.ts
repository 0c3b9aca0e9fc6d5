import type { Json, Result } from "../contracts/index.ts";

/**
 * Decides when a trial, or the whole experiment, stops regardless of the
 * scheduler. Call order: `shouldStopTrial(r)` for every result (before the
 * scheduler sees it); `shouldStopAll(now)` after each of those calls.
 */
export interface Stopper {
  shouldStopTrial(result: Result): boolean;
  shouldStopAll(now: number): boolean;
  save(): Json;
  restore(state: Json): void;
}

/** Population standard deviation (numpy's default `np.std`), which Ray's plateau stoppers use. */
export function populationStd(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return Number.POSITIVE_INFINITY;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return Math.sqrt(squares / n);
}
