/**
 * `array` with room for at least `size` entries, its contents kept: the same array where it
 * is long enough, else a new one from `make` (at least double the length, and 64) with the
 * old entries copied in. `make` sets what the new entries start as (a memo fills NaN).
 */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, size: number, make: (size: number) => T): T {
  if (array.length >= size) return array;
  const bigger = make(Math.max(size, 2 * array.length, 64));
  bigger.set(array);
  return bigger;
}

export const float64s = (size: number): Float64Array<ArrayBuffer> => new Float64Array(size);
