/**
 * How often a benchmark verdict drawn from a few seeds would come out the same
 * way: the bootstrap chance of a criterion over samples drawn with replacement
 * from larger pools of per-seed results. The issues state their targets on 10
 * seeds; this says whether such a target measures the algorithms or the seeds.
 */
import { rngFor } from "../../core/rng.ts";
import { quantile } from "./quantile.ts";

/**
 * The fraction of `draws` rounds in which `criterion` holds when every pool is
 * replaced by `size` values drawn from it with replacement. Seeded: the same
 * inputs give the same answer.
 */
export function resampledChance(
  pools: readonly (readonly number[])[],
  size: number,
  criterion: (samples: readonly number[][]) => boolean,
  options: { draws?: number; seed?: number } = {},
): number {
  const draws = options.draws ?? 2000;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`resampledChance: size must be an integer >= 1, got ${size}`);
  if (!Number.isInteger(draws) || draws < 1) throw new RangeError(`resampledChance: draws must be an integer >= 1, got ${draws}`);
  pools.forEach((pool, i) => {
    if (pool.length === 0) throw new RangeError(`resampledChance: pool ${i} is empty`);
  });
  const rng = rngFor(options.seed ?? 0, "benchmark:resampling");
  let held = 0;
  for (let d = 0; d < draws; d++) {
    const samples = pools.map((pool) => Array.from({ length: size }, () => pool[Math.floor(rng.next() * pool.length)] as number));
    if (criterion(samples)) held++;
  }
  return held / draws;
}

/** Percentile bootstrap interval of the median of `values` (`level` = 0.95 gives the 2.5% and 97.5% points). */
export function medianInterval(values: readonly number[], options: { level?: number; draws?: number; seed?: number } = {}): [number, number] {
  const level = options.level ?? 0.95;
  const draws = options.draws ?? 2000;
  if (values.length === 0) throw new RangeError("medianInterval: no values");
  const rng = rngFor(options.seed ?? 0, "benchmark:median-interval");
  const medians: number[] = [];
  for (let d = 0; d < draws; d++) {
    medians.push(quantile(Array.from({ length: values.length }, () => values[Math.floor(rng.next() * values.length)] as number), 0.5));
  }
  return [quantile(medians, (1 - level) / 2), quantile(medians, 1 - (1 - level) / 2)];
}
