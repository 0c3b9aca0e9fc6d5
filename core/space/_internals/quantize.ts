// Multiples of q are computed as k*q from an integer k, then clamped into [low, high], so the
// same k always yields the same float (encode/decode round trips are exact) and a value never
// leaves its bounds by an ulp. The slack absorbs division error such as 0.3 / 0.1 = 2.9999999999999996.
const INDEX_SLACK = 1e-9;

export function multipleIndexRange(low: number, high: number, q: number): { kMin: number; kMax: number } {
  return { kMin: Math.ceil(low / q - INDEX_SLACK), kMax: Math.floor(high / q + INDEX_SLACK) };
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** Nearest multiple of q to `value` among the multiples inside [low, high]. */
export function snapToMultiple(value: number, q: number, low: number, high: number): number {
  const { kMin, kMax } = multipleIndexRange(low, high, q);
  const k = clamp(Math.round(value / q), kMin, kMax);
  return clamp(k * q, low, high);
}

/** Nearest multiple of q, unbounded (qrandn). */
export function roundToMultiple(value: number, q: number): number {
  return Math.round(value / q) * q;
}

const scratch = new DataView(new ArrayBuffer(8));

/** The largest double strictly below `x` (x finite); keeps exclusive upper bounds exclusive. */
export function previousFloat(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  scratch.setFloat64(0, x);
  const bits = scratch.getBigUint64(0);
  scratch.setBigUint64(0, x > 0 ? bits - 1n : bits + 1n);
  return scratch.getFloat64(0);
}
