/**
 * The q-quantile (q in [0, 1]) of `values` with linear interpolation between
 * order statistics, as numpy's default `percentile` (what Ray's ASHA cutoff uses).
 * Undefined for an empty list.
 */
export function linearQuantile(values: readonly number[], q: number): number | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const position = q * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.min(n - 1, lower + 1);
  const low = sorted[lower] as number;
  return low + ((sorted[upper] as number) - low) * (position - lower);
}

/** Median with the mean of the two middle values for an even count (numpy's `median`). */
export function median(values: readonly number[]): number | undefined {
  return linearQuantile(values, 0.5);
}
