/** Set-up shared by the TPE tests: a seeded generator, Optuna's univariate Parzen settings, and bestCandidate's cases. */
import { ParzenEstimator, defaultWeights, type ParzenParameter, type ParzenSettings } from "../../../../algorithms/searchers/tpe/parzen-estimator.ts";
import type { Rng } from "../../../../core/rng.ts";

/** Park-Miller's generator: uniforms in (0, 1) from an integer seed in [1, 2^31 - 2], the same sequence on every run. */
export function parkMiller(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

/** Optuna 3.1's univariate Parzen settings (prior, magic clip, no endpoints, its weights); `scoring` left to the test. */
export const UNIVARIATE_SETTINGS: ParzenSettings = {
  considerPrior: true,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate: false,
  weights: defaultWeights,
};

/**
 * One case of TPE's choice on a float in [low, high]: a bad group of n observations and a good
 * group of 25, spread or (clustered) 70% near one point, 24 candidates drawn from the good
 * group with ties planted (repeat % 3 === 0: candidate 20 repeats 3; repeat % 4 === 0: 5
 * repeats 17), and the exact log densities of both groups at them.
 */
export function candidateCase(parameter: Extract<ParzenParameter, { kind: "numeric" }>, settings: ParzenSettings, n: number, repeat: number, random: () => number, rng: Rng) {
  const { low, high } = parameter;
  const draw = (): number => (repeat % 2 === 1 && random() < 0.7 ? low + 0.375 * (high - low) + 0.0125 * (high - low) * random() : low + (high - low) * random());
  const bad = new ParzenEstimator([Float64Array.from({ length: n }, draw)], [parameter], settings);
  const good = new ParzenEstimator([Float64Array.from({ length: 25 }, draw)], [parameter], settings);
  const candidates = good.sample(rng, 24);
  const xs = candidates[0] as Float64Array;
  // Ties: the plain rule keeps the earlier of equal ratios.
  if (repeat % 3 === 0) xs[20] = xs[3] as number;
  if (repeat % 4 === 0) xs[5] = xs[17] as number;
  return { bad, good, candidates, logL: good.logPdf(candidates), exact: bad.logPdf(candidates) };
}
