import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ParzenEstimator, defaultWeights } from "../../../../algorithms/searchers/tpe/parzen-estimator.ts";

describe("Parzen estimator properties", () => {
  it("integrates to 1 over its bounds for any observations and any bandwidth rule or clip", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }),
        fc.boolean(),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.constantFrom("optuna" as const, "scott" as const),
        fc.constantFrom(0.5, 1, 2),
        fc.constantFrom(0.01, 0.03, 0.1),
        (observations, multivariate, priorWeight, bandwidth, magicClipExponent, minBandwidthFactor) => {
          const estimator = new ParzenEstimator([Float64Array.from(observations)], [{ kind: "numeric", low: 0, high: 1, step: null }], {
            considerPrior: true,
            priorWeight,
            considerMagicClip: true,
            considerEndpoints: false,
            multivariate,
            weights: defaultWeights,
            bandwidth,
            magicClipExponent,
            minBandwidthFactor,
          });
          const steps = 3000;
          const xs = Float64Array.from({ length: steps }, (_, i) => (i + 0.5) / steps);
          const total = estimator.logPdf([xs]).reduce((sum, l) => sum + Math.exp(l) / steps, 0);
          expect(total).toBeGreaterThan(0.995);
          expect(total).toBeLessThan(1.005);
        },
      ),
      { numRuns: 40 },
    );
  });
});
