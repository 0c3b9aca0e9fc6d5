/** Quantiles as numpy computes them, for benchmark reports. */

/** Linear-interpolation quantile (numpy's default) of the finite and infinite values given; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  if (low === high || a === b) return a;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return at - low < 0.5 ? a : b;
  return a + (b - a) * (at - low);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}
