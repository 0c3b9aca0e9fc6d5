/**
 * A single continuous kernel's logPdf evaluates only the components within reach
 * of each point (issue 14); it must give the plain loop's floats bit for bit. The
 * plain loop is reached by adding a one-choice categorical parameter, whose log
 * probability is exactly 0 in every component.
 */
import { describe, expect, it } from "vitest";
import { ParzenEstimator, defaultWeights, type ParzenParameter, type ParzenSettings } from "../../../../algorithms/searchers/tpe/parzen-estimator.ts";
import { parkMiller } from "./fixtures.ts";

const numeric: ParzenParameter = { kind: "numeric", low: -1, high: 3, step: null };
const single: ParzenParameter = { kind: "categorical", choices: 1 };

describe("windowed logPdf", () => {
  it("equals the plain loop bit for bit, clustered and spread observations, both scorings, points at and beyond the bounds", () => {
    const random = parkMiller(5);
    let compared = 0;
    for (const n of [70, 500, 2000]) {
      for (const scoring of ["bandwidth-weighted", "normalized"] as const) {
        for (const clustered of [false, true]) {
          const observations = Float64Array.from({ length: n }, () => (clustered && random() < 0.7 ? 0.5 + 0.05 * random() : -1 + 4 * random()));
          const settings: ParzenSettings = { considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: false, weights: defaultWeights, scoring };
          const windowed = new ParzenEstimator([observations], [numeric], settings);
          const plain = new ParzenEstimator([observations, new Float64Array(n)], [numeric, single], settings);
          const points = Float64Array.from({ length: 200 }, () => -1.2 + 4.4 * random());
          points[0] = -1;
          points[1] = 3;
          points[2] = observations[0] as number;
          const a = windowed.logPdf([points]);
          const b = plain.logPdf([points, new Float64Array(points.length)]);
          for (let s = 0; s < points.length; s++) {
            expect(Object.is(a[s], b[s])).toBe(true);
            if (Number.isFinite(a[s] as number)) compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(2000);
  });
});

describe("logPdf of several continuous kernels", () => {
  it("does not depend on an extra one-choice categorical (log probability 0), points inside, at and beyond the bounds", () => {
    const random = parkMiller(11);
    let compared = 0;
    for (const n of [5, 300]) {
      for (const scoring of ["bandwidth-weighted", "normalized"] as const) {
        const d = 3;
        const columns = Array.from({ length: d }, () => Float64Array.from({ length: n }, () => -1 + 4 * random()));
        // Per-parameter bandwidths (not multivariate's, whose width depends on the parameter count, which the extra categorical changes).
        const settings: ParzenSettings = { considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: false, weights: defaultWeights, scoring };
        const joint = new ParzenEstimator(columns, [numeric, numeric, numeric], settings);
        const plain = new ParzenEstimator([...columns, new Float64Array(n)], [numeric, numeric, numeric, single], settings);
        const points = Array.from({ length: d }, () => Float64Array.from({ length: 100 }, () => -1.2 + 4.4 * random()));
        (points[0] as Float64Array)[0] = -1;
        (points[1] as Float64Array)[1] = 3;
        const a = joint.logPdf(points);
        const b = plain.logPdf([...points, new Float64Array(100)]);
        for (let s = 0; s < 100; s++) {
          expect(Object.is(a[s], b[s])).toBe(true);
          if (Number.isFinite(a[s] as number)) compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
