import type { SyntheticFunction } from "../functions/index.ts";

/**
 * A robust size of "how far a typical config is from the optimum": the median
 * of f - optimum over a Halton point set in the bounds. The median (not the
 * max) keeps Rosenbrock's 1e6 corners from dwarfing everything else; Halton
 * (not an RNG) keeps it a pure function of `fn`.
 */
export function typicalGap(fn: SyntheticFunction, points = 512): number {
  const primes = firstPrimes(fn.dimension);
  const x = new Float64Array(fn.dimension);
  const gaps = new Float64Array(points);
  for (let n = 0; n < points; n++) {
    for (let j = 0; j < fn.dimension; j++) {
      const [low, high] = fn.bounds[j] as readonly [number, number];
      x[j] = low + (high - low) * radicalInverse(n + 1, primes[j] as number);
    }
    gaps[n] = fn.evaluate(x) - fn.optimum;
  }
  gaps.sort();
  return gaps[points >> 1] as number;
}

/** Coordinate j (0-based) of Halton point n (1-based) in [0, 1): the radical inverse of n in the j-th prime. */
export function haltonCoordinate(n: number, j: number): number {
  return radicalInverse(n, firstPrimes(j + 1)[j] as number);
}

function radicalInverse(index: number, base: number): number {
  let result = 0;
  let fraction = 1 / base;
  for (let i = index; i > 0; i = Math.floor(i / base)) {
    result += (i % base) * fraction;
    fraction /= base;
  }
  return result;
}

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let candidate = 2; primes.length < count; candidate++) {
    if (primes.every((p) => candidate % p !== 0)) primes.push(candidate);
  }
  return primes;
}
