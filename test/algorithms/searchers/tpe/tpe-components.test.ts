import { describe, expect, it } from "vitest";
import { ndtr } from "../../../../algorithms/math/normal.ts";
import {
  ParzenEstimator,
  defaultGamma,
  defaultWeights,
  linearGamma,
  scottBandwidth,
  sqrtGamma,
  uniformWeights,
  type ParzenSettings,
} from "../../../../algorithms/searchers/tpe/parzen-estimator.ts";
import { OPTUNA_31_TPE_OPTIONS, TPESearcher, improvementWeighted } from "../../../../algorithms/searchers/tpe/tpe-searcher.ts";
import { uniform } from "../../../../core/space/index.ts";
import { UNIVARIATE_SETTINGS } from "./fixtures.ts";

// The components Watanabe 2023 ablates, beyond Optuna 3.1's choices.
const settings: ParzenSettings = UNIVARIATE_SETTINGS;
const col = (...v: number[]): Float64Array => Float64Array.from(v);

/** log of the mixture sum_c w_c N(x; mu_c, sigma_c) truncated to [0, 1], written out from the definition. */
function mixtureLogPdf(x: number, mus: number[], sigmas: number[], weights: number[]): number {
  let total = 0;
  mus.forEach((mu, c) => {
    const sigma = sigmas[c] as number;
    const z = (x - mu) / sigma;
    const mass = ndtr((1 - mu) / sigma) - ndtr((0 - mu) / sigma);
    total += ((weights[c] as number) * Math.exp(-0.5 * z * z)) / (Math.sqrt(2 * Math.PI) * sigma * mass);
  });
  return Math.log(total);
}

describe("TPE splits and weights", () => {
  it("linear gamma is min(ceil(beta n), 25); beta = 0.1 is Optuna's default", () => {
    expect([1, 10, 11, 100, 200].map(linearGamma(0.2))).toEqual([1, 2, 3, 20, 25]);
    expect([1, 7, 100, 300].map(linearGamma(0.15))).toEqual([1, 2, 15, 25]);
    const optuna = linearGamma(0.1);
    for (const n of [1, 9, 10, 11, 99, 100, 101, 249, 250, 251, 1000]) expect(optuna(n)).toBe(defaultGamma(n));
  });

  it("sqrt gamma is min(ceil(beta sqrt n), 25)", () => {
    expect([1, 16, 17, 100, 10000].map(sqrtGamma(0.25))).toEqual([1, 1, 2, 3, 25]);
    expect([4, 100, 101, 1000].map(sqrtGamma(1))).toEqual([2, 10, 11, 25]);
  });

  it("uniform weights are all 1, also past the 25 that Optuna keeps flat", () => {
    expect(Array.from(uniformWeights(40))).toEqual(new Array(40).fill(1));
  });

  it("EI weighting: good trials weigh their improvement on the best bad loss, normalised to mean 1", () => {
    const done = (loss: number) => ({ loss, step: -Infinity });
    const weighted = improvementWeighted([done(1), done(2.5)], [done(7), done(3), { loss: Infinity, step: Infinity }], settings);
    // threshold 3: improvements 2 and 0.5, mean 1.25.
    expect(Array.from(weighted.weights(2))).toEqual([1.6, 0.4]);
    expect(weighted.priorWeight).toBe(1);
    // A good trial no better than the threshold keeps a positive floor.
    expect(improvementWeighted([done(3), done(1)], [done(3)], settings).weights(2)[0]).toBeCloseTo(1e-12, 20);
    // A bad trial stopped at another step does not compare: it sets no threshold.
    expect(Array.from(improvementWeighted([done(1), done(2.5)], [{ loss: 0, step: -3 }, done(3)], settings).weights(2))).toEqual([1.6, 0.4]);
    const atStep1 = (loss: number) => ({ loss, step: -1 });
    expect(Array.from(improvementWeighted([atStep1(1), atStep1(2.5)], [atStep1(3), done(0)], settings).weights(2))).toEqual([1.6, 0.4]);
    // Every bad trial pending (liar losses), or good trials at different steps: the plain weights stay.
    expect(improvementWeighted([done(1)], [{ loss: Infinity, step: Infinity }], settings)).toBe(settings);
    expect(improvementWeighted([done(1), { loss: 2, step: -4 }], [done(3)], settings)).toBe(settings);
  });
});

describe("TPE bandwidths", () => {
  it("Scott's rule matches numpy: 1.059 min(IQR/1.34, sd(ddof 1)) m^-0.2", () => {
    // References from numpy (np.std ddof=1, np.percentile linear): the IQR branch, then the sd branch.
    expect(scottBandwidth(col(1, 2, 3, 4, 10))).toBeCloseTo(1.1455845728875813, 12);
    expect(scottBandwidth(col(0, 0, 0, 1, 1, 1))).toBeCloseTo(0.4053464159756404, 12);
    expect(scottBandwidth(col(0.3))).toBe(0);
  });

  it("the scott estimator is the truncated-normal mixture with Scott's sigma on the observations (prior centre included)", () => {
    const observations = [0.05, 0.15, 0.3, 0.35, 0.6, 0.62, 0.7, 0.9, 0.95];
    const estimator = new ParzenEstimator([col(...observations)], [{ kind: "numeric", low: 0, high: 1, step: null }], { ...settings, bandwidth: "scott" });
    // numpy over the nine observations and the prior centre 0.5; above the magic-clip floor 1/11.
    const sigma = 0.18325190799862892;
    const mus = [...observations, 0.5];
    const sigmas = [...observations.map(() => sigma), 1];
    const weights = mus.map(() => 1 / mus.length);
    const xs = [0.01, 0.33, 0.5, 0.8, 0.99];
    const got = estimator.logPdf([col(...xs)]);
    xs.forEach((x, i) => expect(got[i]).toBeCloseTo(mixtureLogPdf(x, mus, sigmas, weights), 10));
  });

  it("magic clip floor is range * max(minBandwidthFactor, (1 + components)^-exponent)", () => {
    // Three nearly equal observations: every neighbour gap is below the floor, so sigma = floor.
    const observations = [0.5, 0.5001, 0.5002];
    const mus = [...observations, 0.5];
    const weights = [0.25, 0.25, 0.25, 0.25];
    const xs = [0.1, 0.45, 0.52, 0.9];
    const cases: Array<[Partial<ParzenSettings>, number]> = [
      [{}, 1 / 5], // Optuna: 1 / min(100, 1 + 4)
      [{ magicClipExponent: 2 }, 1 / 25],
      [{ magicClipExponent: 2, minBandwidthFactor: 0.1 }, 0.1],
      [{ magicClipExponent: 0.5 }, 1 / Math.sqrt(5)],
    ];
    for (const [extra, floor] of cases) {
      const estimator = new ParzenEstimator([col(...observations)], [{ kind: "numeric", low: 0, high: 1, step: null }], { ...settings, ...extra });
      const got = estimator.logPdf([col(...xs)]);
      xs.forEach((x, i) => expect(got[i]).toBeCloseTo(mixtureLogPdf(x, mus, [floor, floor, floor, 1], weights), 10));
    }
  });
});

describe("TPESearcher options for the components", () => {
  it("the Optuna 3.1 preset spells out Optuna 3.1's TPESampler defaults", () => {
    expect(OPTUNA_31_TPE_OPTIONS).toMatchObject({
      nStartupTrials: 10,
      nEiCandidates: 24,
      considerPrior: true,
      priorWeight: 1,
      considerMagicClip: true,
      considerEndpoints: false,
      multivariate: false,
      scoring: "bandwidth-weighted",
      bandwidth: "optuna",
      magicClipExponent: 1,
      minBandwidthFactor: 0.01,
      goodWeighting: "weights",
    });
    expect(OPTUNA_31_TPE_OPTIONS.gamma).toBe(defaultGamma);
    expect(OPTUNA_31_TPE_OPTIONS.weights).toBe(defaultWeights);
  });

  it("the defaults are the Optuna 3.1 preset: same suggestions", () => {
    const run = (options: object): unknown[] => {
      const s = new TPESearcher({ x: uniform(-1, 1), y: uniform(0, 2) }, { metric: "f", mode: "min", seed: 8, ...options });
      return Array.from({ length: 30 }, (_, t) => {
        const c = s.suggest(String(t)) as { x: number; y: number };
        s.onTrialComplete(String(t), { trialId: String(t), iteration: 1, metrics: { f: c.x ** 2 + (c.y - 1) ** 2 }, time: t, timeTotal: 1 });
        return c;
      });
    };
    expect(run({})).toEqual(run(OPTUNA_31_TPE_OPTIONS));
  });

  it("each component option changes the suggestions, and the preset is deterministic", () => {
    const run = (options: object): number[] => {
      const s = new TPESearcher({ x: uniform(0, 1), y: uniform(0, 1) }, { metric: "f", mode: "min", seed: 4, ...OPTUNA_31_TPE_OPTIONS, ...options });
      const xs: number[] = [];
      for (let t = 0; t < 40; t++) {
        const c = s.suggest(String(t)) as { x: number; y: number };
        xs.push(c.x);
        s.onTrialComplete(String(t), { trialId: String(t), iteration: 1, metrics: { f: (c.x - 0.3) ** 2 + (c.y - 0.6) ** 2 }, time: t, timeTotal: 1 });
      }
      return xs;
    };
    const reference = run({});
    expect(run({})).toEqual(reference);
    for (const options of [
      { gamma: linearGamma(0.2) },
      { bandwidth: "scott" },
      { magicClipExponent: 2 },
      { minBandwidthFactor: 0.2 },
      { goodWeighting: "expected-improvement" },
    ]) {
      expect(run(options)).not.toEqual(reference);
    }
  });

  it("rejects bad component options naming the option", () => {
    const make = (options: object) => () => new TPESearcher({ x: uniform(0, 1) }, { metric: "y", mode: "min", ...options });
    expect(make({ bandwidth: "silverman" })).toThrow(/TPESearcher.bandwidth/);
    expect(make({ magicClipExponent: 0 })).toThrow(/magicClipExponent/);
    expect(make({ minBandwidthFactor: 1.5 })).toThrow(/minBandwidthFactor/);
    expect(make({ goodWeighting: "pi" })).toThrow(/goodWeighting/);
  });
});
