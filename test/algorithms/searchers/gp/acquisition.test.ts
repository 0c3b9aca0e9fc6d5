import { describe, expect, it } from "vitest";
import { maximizeAcquisition, type AcquisitionSearch } from "../../../../algorithms/searchers/gp/acquisition.ts";
import { rngFor, type Rng } from "../../../../core/rng.ts";

/**
 * The maximiser as it was before the candidates went into one flat array (commit 7431a0b):
 * one array and one pool object per candidate, the whole pool sorted. The oracle for the
 * flat version, which must pick the same point from the same draws.
 */
function pooledMaximizer(
  score: (x: Float64Array) => number,
  dimension: number,
  rng: Rng,
  search: AcquisitionSearch,
  seeds: readonly Float64Array[],
  canonical: (x: Float64Array) => Float64Array,
): Float64Array {
  const pool: Array<{ x: Float64Array; value: number }> = [];
  const points: Float64Array[] = [];
  for (let c = 0; c < search.randomCandidates; c++) {
    const x = new Float64Array(dimension);
    for (let k = 0; k < dimension; k++) x[k] = rng.next();
    points.push(canonical(x));
  }
  for (const point of points) pool.push({ x: point, value: score(point) });
  for (const seed of seeds) pool.push({ x: Float64Array.from(seed), value: score(seed) });
  pool.sort((a, b) => b.value - a.value);
  let best = pool[0] as { x: Float64Array; value: number };
  for (let s = 0; s < Math.min(search.localStarts, pool.length); s++) {
    let current = pool[s] as { x: Float64Array; value: number };
    let step = 0.1;
    for (let t = 0; t < search.localSteps; t++) {
      const proposal = new Float64Array(dimension);
      for (let k = 0; k < dimension; k++) proposal[k] = Math.min(Math.max((current.x[k] as number) + step * rng.normal(), 0), 1);
      const point = canonical(proposal);
      const value = score(point);
      if (value > current.value) {
        current = { x: point, value };
        step *= 1.5;
      } else {
        step *= 0.8;
      }
    }
    if (current.value > best.value) best = current;
  }
  return best.x;
}

const search: AcquisitionSearch = { randomCandidates: 200, localStarts: 5, localSteps: 10 };
const seeds = [Float64Array.from([0.5, 0.5, 0.5]), Float64Array.from([0.1, 0.9, 0.3])];
// Scores with many ties (a plateau of zeros, like EI far from the data, and coarse steps), and one with NaNs.
const scores: Record<string, (x: Float64Array) => number> = {
  smooth: (x) => -((x[0]! - 0.3) ** 2 + (x[1]! - 0.6) ** 2 + (x[2]! - 0.2) ** 2),
  plateau: (x) => Math.max(0, 0.05 - (x[0]! - 0.7) ** 2 - (x[1]! - 0.2) ** 2),
  steps: (x) => Math.floor(4 * x[0]!) + Math.floor(2 * x[1]!),
  flat: () => 0,
  nan: (x) => (x[2]! > 0.8 ? Number.NaN : x[0]! + x[1]!),
};
const canonicals: Record<string, (x: Float64Array) => Float64Array> = {
  identity: (x) => x,
  "in place": (x) => {
    x[1] = Math.round(x[1]! * 4) / 4;
    return x;
  },
  copy: (x) => Float64Array.from(x, (v, k) => (k === 2 ? Math.round(v * 3) / 3 : v)),
};

describe("maximizeAcquisition", () => {
  for (const [scoreName, score] of Object.entries(scores)) {
    for (const [canonicalName, canonical] of Object.entries(canonicals)) {
      it(`picks what the pooled maximiser picked (${scoreName} score, ${canonicalName} snap)`, () => {
        for (let seed = 0; seed < 4; seed++) {
          const oracleRng = rngFor(seed, "acquisition-test");
          const expected = pooledMaximizer(score, 3, oracleRng, search, seeds, canonical);
          const rng = rngFor(seed, "acquisition-test");
          const actual = maximizeAcquisition(score, 3, rng, search, seeds, canonical);
          expect(Array.from(actual)).toEqual(Array.from(expected));
          // The local steps' normals, drawn up front, leave the stream where the sequential loop left it.
          expect(rng.save()).toEqual(oracleRng.save());
          // The batch scorer (random candidates, then each lockstep of the local starts) gives the same answer as one call per point.
          const many = (points: Float64Array, m: number): Float64Array => Float64Array.from({ length: m }, (_, c) => score(points.subarray(c * 3, (c + 1) * 3)));
          const batchedRng = rngFor(seed, "acquisition-test");
          const batched = maximizeAcquisition(score, 3, batchedRng, search, seeds, canonical, many);
          expect(Array.from(batched)).toEqual(Array.from(expected));
          expect(batchedRng.save()).toEqual(oracleRng.save());
        }
      });
    }
  }

  it("keeps the best seed when every candidate is worse", () => {
    const peak = (x: Float64Array): number => (x[0] === 0.1 && x[1] === 0.9 && x[2] === 0.3 ? 1 : 0);
    const best = maximizeAcquisition(peak, 3, rngFor(1, "acquisition-test"), search, seeds, (x) => x);
    expect(Array.from(best)).toEqual([0.1, 0.9, 0.3]);
  });
});
