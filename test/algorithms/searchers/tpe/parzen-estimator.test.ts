import { describe, expect, it } from "vitest";
import { rngFor } from "../../../../core/rng.ts";
import { loguniform, qrandint, uniform } from "../../../../core/space/index.ts";
import { ParameterTable } from "../../../../algorithms/searchers/tpe/parameters.ts";
import { ParzenEstimator, defaultGamma, defaultWeights, type ParzenParameter, type ParzenSettings } from "../../../../algorithms/searchers/tpe/parzen-estimator.ts";

const settings = (multivariate: boolean): ParzenSettings => ({
  considerPrior: true,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate,
  weights: defaultWeights,
});
const col = (...v: number[]): Float64Array => Float64Array.from(v);
const one = (x: number): Float64Array[] => [col(x)];

/** Trapezoid rule of exp(logPdf) over [low, high] in one dimension. */
function integrate1d(estimator: ParzenEstimator, low: number, high: number, steps = 4000): number {
  const xs = Float64Array.from({ length: steps + 1 }, (_, i) => low + ((high - low) * i) / steps);
  const density = estimator.logPdf([xs]).map(Math.exp);
  let total = 0;
  for (let i = 0; i < steps; i++) total += (((density[i] as number) + (density[i + 1] as number)) / 2) * ((high - low) / steps);
  return total;
}

// Reference values come from Optuna 3.1's _ParzenEstimator run under Debian's python3-optuna.
// For continuous kernels, 3.1's truncnorm.logpdf omits the -log(scale) term (fixed in later
// 3.x releases; without it the mixture does not integrate to 1), so those references were
// computed with that term restored; int and categorical references are 3.1's unchanged.
describe("Parzen estimator (values from Optuna's _ParzenEstimator)", () => {
  const x: ParzenParameter = { kind: "numeric", low: -1, high: 3, step: null };

  it("univariate kernels: neighbour-gap sigmas, magic clip, prior, and the log densities", () => {
    const estimator = new ParzenEstimator([col(0.1, 0.45, 0.5, 0.9, 2.0)], [x], settings(false));
    const expected = [-1.75272592634572, -0.7679491551581479, -1.6709453677554749, -2.387509789443759];
    const got = estimator.logPdf([col(-0.5, 0.3, 1.7, 2.9)]);
    expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
  });

  it("multivariate kernels: Scott's-rule sigma 0.2 n^(-1/(d+4)) of the range", () => {
    const estimator = new ParzenEstimator([col(0.1, 0.45, 0.5, 0.9, 2.0)], [x], settings(true));
    const expected = [-1.760176710834709, -0.814203573664428, -1.5175900945448433, -2.5900949801555107];
    const got = estimator.logPdf([col(-0.5, 0.3, 1.7, 2.9)]);
    expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
  });

  it("quantized (int) kernels: bin masses with bounds widened by half a step", () => {
    const n: ParzenParameter = { kind: "numeric", low: 0.5, high: 8.5, step: 1 };
    const estimator = new ParzenEstimator([col(2, 3, 3, 7)], [n], settings(false));
    const expected = [-2.1076784508483666, -1.5868579850127884, -2.7392314436433187];
    const got = estimator.logPdf([col(1, 3, 8)]);
    expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    // Masses over the eight values sum to 1.
    const masses = estimator.logPdf([col(1, 2, 3, 4, 5, 6, 7, 8)]).map(Math.exp);
    expect(masses.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it("log domains: kernels live in log space with bounds ln(low), ln(high)", () => {
    const table = new ParameterTable({ lr: loguniform(1e-5, 1e-1) });
    const parzen = table.parameters[0]?.parzen as ParzenParameter;
    expect(parzen).toEqual({ kind: "numeric", low: Math.log(1e-5), high: Math.log(1e-1), step: null });
    const estimator = new ParzenEstimator([col(Math.log(1e-4), Math.log(3e-3), Math.log(1e-2))], [parzen], settings(false));
    const expected = [-2.869118507621971, -2.0101259994039555, -2.4545372398002145];
    const got = estimator.logPdf([col(Math.log(1e-5 * 1.0001), Math.log(1e-3), Math.log(5e-2))]);
    expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    // As a density over lr itself (Jacobian 1/lr), it integrates to 1 over [1e-5, 1e-1].
    const steps = 20000;
    let total = 0;
    for (let i = 0; i < steps; i++) {
      const u = Math.log(1e-5) + ((i + 0.5) / steps) * (Math.log(1e-1) - Math.log(1e-5));
      const lr = Math.exp(u);
      const width = Math.exp(Math.log(1e-5) + ((i + 1) / steps) * (Math.log(1e-1) - Math.log(1e-5))) - Math.exp(Math.log(1e-5) + (i / steps) * (Math.log(1e-1) - Math.log(1e-5)));
      total += (Math.exp(estimator.logPdf(one(u))[0] as number) / lr) * width;
    }
    expect(total).toBeCloseTo(1, 3);
  });

  it("quantized domains map to widened bounds and snap back onto the grid", () => {
    const table = new ParameterTable({ width: qrandint(16, 256, 16), f: uniform(0, 1) });
    expect(table.parameters[0]?.parzen).toEqual({ kind: "numeric", low: 8, high: 264, step: 16 });
    expect(table.canonical(0, 37)).toBe(32);
    expect(table.canonical(0, 300)).toBe(256);
  });

  it("categorical smoothing: rows are (priorWeight/(n+1) + [observed]) normalised, mixed by the weights", () => {
    const c: ParzenParameter = { kind: "categorical", choices: 3 };
    const estimator = new ParzenEstimator([col(0, 2, 2)], [c], settings(false));
    // Formula: rows (1/4 everywhere + 1 at the observation) / (1 + 3/4); the prior row uniform.
    const row = (k: number, obs: number): number => (0.25 + (k === obs ? 1 : 0)) / 1.75;
    const pmf = [0, 1, 2].map((k) => (row(k, 0) + row(k, 2) + row(k, 2) + 1 / 3) / 4);
    const got = estimator.logPdf([col(0, 1, 2)]);
    pmf.forEach((p, k) => expect(got[k]).toBeCloseTo(Math.log(p), 12));
    const optuna = [-1.0986122886681098, -1.6582280766035324, -0.7419373447293772];
    optuna.forEach((v, k) => expect(got[k]).toBeCloseTo(v, 12));
  });

  it("joint kernels over a float and a categorical", () => {
    const parameters: ParzenParameter[] = [
      { kind: "numeric", low: 0, high: 1, step: null },
      { kind: "categorical", choices: 2 },
    ];
    const estimator = new ParzenEstimator([col(0.2, 0.8, 0.5), col(1, 0, 1)], parameters, settings(true));
    const got = estimator.logPdf([col(0.1, 0.6), col(1, 0)]);
    expect(got[0]).toBeCloseTo(-0.4889211896598934, 6);
    expect(got[1]).toBeCloseTo(-0.6600747124101094, 6);
  });

  it("bandwidth-weighted scoring equals Optuna 3.1's raw scores up to a constant, and is still a density", () => {
    for (const [multivariate, optuna31] of [
      [false, [-1.4302590646513385, -0.8682376182508215, -1.2501203695192753, -1.5698722339409514]],
      [true, [-1.4349564958696652, -0.9086463980420947, -1.297066278954886, -1.7365688198096565]],
    ] as const) {
      const estimator = new ParzenEstimator([col(0.1, 0.45, 0.5, 0.9, 2.0)], [x], { ...settings(multivariate), scoring: "bandwidth-weighted" });
      const got = estimator.logPdf([col(-0.5, 0.3, 1.7, 2.9)]);
      const shift = (got[0] as number) - optuna31[0];
      optuna31.forEach((v, i) => expect((got[i] as number) - v).toBeCloseTo(shift, 6));
      expect(integrate1d(estimator, -1, 3)).toBeCloseTo(1, 4);
    }
  });

  it("densities integrate to 1 over the bounds", () => {
    for (const multivariate of [false, true]) {
      const estimator = new ParzenEstimator([col(-0.9, 0.1, 0.45, 2.95)], [x], settings(multivariate));
      expect(integrate1d(estimator, -1, 3)).toBeCloseTo(1, 4);
    }
    const empty = new ParzenEstimator([new Float64Array(0)], [x], settings(false));
    expect(integrate1d(empty, -1, 3)).toBeCloseTo(1, 4);
  });

  it("samples stay inside the bounds and on the grid", () => {
    const rng = rngFor(1, "test");
    const q: ParzenParameter = { kind: "numeric", low: 0.5, high: 8.5, step: 1 };
    const estimator = new ParzenEstimator([col(0.9, 2.9), col(1, 8)], [x, q], settings(true));
    const [xs, qs] = estimator.sample(rng, 500) as [Float64Array, Float64Array];
    for (const v of xs) expect(v >= -1 && v <= 3).toBe(true);
    for (const v of qs) expect(Number.isInteger(v) && v >= 1 && v <= 8).toBe(true);
  });

  it("default gamma and weights are Optuna's", () => {
    expect([1, 10, 11, 100, 250, 1000].map(defaultGamma)).toEqual([1, 1, 2, 10, 25, 25]);
    const w = defaultWeights(30);
    expect(Array.from(w.subarray(0, 5))).toEqual([0.03333333333333333, 0.275, 0.5166666666666667, 0.7583333333333333, 1].map((v) => expect.closeTo(v, 12) as unknown as number));
    expect(Array.from(w.subarray(5)).every((v) => v === 1)).toBe(true);
    expect(Array.from(defaultWeights(24)).every((v) => v === 1)).toBe(true);
  });
});
