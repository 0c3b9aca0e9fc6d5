import { describe, expect, it } from "vitest";
import { PB2, boundsFromSpace, integerKeysFromSpace } from "../../../algorithms/schedulers/index.ts";
import { pb2TrainingData } from "../../../algorithms/schedulers/pb2/pb2-data.ts";
import { fitOptimized, pb2BatchData, pb2GpData, pb2Kappa, pb2Models, selectConfig, standardize } from "../../../algorithms/schedulers/pb2/select-config.ts";
import { fitTimeVaryingGP, timeVaryingKernel } from "../../../algorithms/math/time-varying-kernel.ts";
import type { Config, Json, TrialView } from "../../../core/contracts/index.ts";
import { rlReturnObjective, RL_RETURN_BOUNDS } from "../../../benchmarks/objectives/index.ts";
import { simulate } from "../../../simulator/index.ts";

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

describe("time-varying kernel", () => {
  const p = { variance: 2, lengthscale: 0.5, epsilon: 0.2, noiseVariance: 0.01 };
  it("is variance * exp(-|z - z'|^2 / lengthscale) * (1 - epsilon)^(|t - t'| / 2)", () => {
    const a = Float64Array.of(3, 0.1, 0.2);
    const b = Float64Array.of(1, 0.4, 0.6);
    expect(timeVaryingKernel(a, 0, b, 0, 3, p)).toBeCloseTo(2 * Math.exp(-(0.09 + 0.16) / 0.5) * 0.8 ** 1, 14);
    expect(timeVaryingKernel(a, 0, a, 0, 3, p)).toBe(2);
    // Epsilon is capped at 0.5, as in Ray.
    expect(timeVaryingKernel(a, 0, b, 0, 3, { ...p, epsilon: 0.9 })).toBeCloseTo(timeVaryingKernel(a, 0, b, 0, 3, { ...p, epsilon: 0.5 }), 14);
  });

  it("lets old observations count less: the posterior at a later time forgets more", () => {
    const x = Float64Array.of(0, 0.5, 0.5);
    const y = Float64Array.of(1);
    const gp = fitTimeVaryingGP(x, y, 3, p)!;
    const near = gp.predict(Float64Array.of(0, 0.5, 0.5));
    const later = gp.predict(Float64Array.of(10, 0.5, 0.5));
    expect(near.mean).toBeGreaterThan(later.mean);
    expect(later.variance).toBeGreaterThan(near.variance);
  });
});

describe("PB2 model step", () => {
  it("uses Ray's kappa schedule and standardisation", () => {
    expect(pb2Kappa(1)).toBeCloseTo(Math.sqrt(0.2), 14);
    expect(pb2Kappa(100)).toBeCloseTo(Math.sqrt(0.2 + Math.log(40)), 14);
    const s = standardize(Float64Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 100));
    expect(Math.max(...s)).toBe(2);
    expect(s[0]).toBeCloseTo(-1 / 3, 6);
  });

  it("turns perturbation rows into reward change per unit time, grouped by trial and config", () => {
    const rows = [
      { trialId: "a", time: 10, values: [1], reward: 5 },
      { trialId: "b", time: 10, values: [2], reward: 3 },
      { trialId: "a", time: 20, values: [1], reward: 9 },
      { trialId: "b", time: 20, values: [3], reward: 4 }, // new config: no difference yet
      { trialId: "b", time: 30, values: [3], reward: 10 },
    ];
    const data = pb2TrainingData(rows, "b");
    expect(data.n).toBe(2);
    expect(Array.from(data.y)).toEqual([0.4, 0.6]);
    expect(Array.from(data.x)).toEqual([20, 5, 1, 30, 4, 3]);
    expect(data.donorPoint).toEqual({ time: 30, rewardBefore: 4, reward: 10 });
    expect(pb2TrainingData(rows, "c").donorPoint).toBeUndefined();
  });

  it("scales the GP's data as Ray: time and reward by the window, hyperparameters by their bounds, unclipped; y standardised", () => {
    // Rows [time, reward before, h] with h in bounds [0, 2].
    const x = Float64Array.of(10, 0, 0, 20, 5, 2, 30, 10, 0.5);
    const y = Float64Array.of(-1, 0, 4);
    const data = pb2GpData(x, y, [30, 5], [[0, 2]]);
    const expected = [0, 0, 0, 0.5, 0.5, 1, 1, 1, 0.25];
    expected.forEach((v, i) => expect(data.x[i], `x[${i}]`).toBeCloseTo(v, 6));
    // Ray's y is standardize(y) (zero mean, so the GP's prior mean is the average rate), not rescaled into (0, 1).
    expect(Array.from(data.y)).toEqual(Array.from(standardize(y)));
    expect(Math.min(...data.y)).toBeLessThan(0);
    expect(Array.from(data.fixed).map((v) => Number(v.toFixed(6)))).toEqual([1, 0.5]);
  });

  it("puts this round's picks into the batch GP at the donor's point with y = 0", () => {
    const data = pb2GpData(Float64Array.of(10, 0, 0, 20, 5, 2, 30, 10, 0.5), Float64Array.of(-1, 0, 4), [20, 5], [[0, 2]]);
    const batch = pb2BatchData(data, Float64Array.of(0, 1.5), [[0, 2]]);
    expect(Array.from(batch.x.slice(0, 9))).toEqual(Array.from(data.x));
    const pending = Array.from(batch.x.slice(9)).map((v) => Number(v.toFixed(6)));
    expect(pending).toEqual([0.5, 0.5, 0, 0.5, 0.5, 0.75]);
    expect(Array.from(batch.y)).toEqual([...Array.from(data.y), 0, 0]);
  });

  it("fits the mean GP to standardised rates: a below-average rate predicts below zero", () => {
    const random = lcg(3);
    const rows: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 40; i++) {
      const h = random();
      rows.push(i, 1 + i * 0.1, h);
      // Rates far from zero: only a zero-mean target lets the GP's prior mean be the average.
      y.push(1000 + 50 * Math.sin(6 * h));
    }
    const input = { x: Float64Array.from(rows), y: Float64Array.from(y), current: null, newpoint: [39, 4.9] as const, bounds: [[0, 1]] as const, random: lcg(1) };
    const { model } = pb2Models(input);
    const target = standardize(input.y);
    const worst = target.indexOf(Math.min(...target));
    const at = pb2GpData(input.x, input.y, input.newpoint, input.bounds).x.slice(worst * 3, worst * 3 + 3);
    expect(model.predict(at).mean).toBeLessThan(-0.5);
    expect(model.predict(at).mean).toBeCloseTo(target[worst] as number, 0);
  });

  it("fits the GP's hyperparameters to convergence, as GPy's optimize() does", () => {
    const random = lcg(2);
    const rows: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 40; i++) {
      const h0 = random();
      const h1 = random();
      rows.push(Math.floor(i / 4), 10 + i + 5 * random(), h0, h1);
      y.push(Math.sin(5 * h0) * Math.cos(3 * h1) + 0.5 * (random() - 0.5) - 0.02 * i);
    }
    const bounds = [
      [0, 1],
      [0, 1],
    ] as const;
    const input = { x: Float64Array.from(rows), y: Float64Array.from(y), current: null, newpoint: [9, 50] as const, bounds, random: lcg(1) };
    const data = pb2GpData(input.x, input.y, input.newpoint, bounds);
    const start = { variance: 1, lengthscale: 1, epsilon: 0.1, noiseVariance: 1 };
    const optimum = fitOptimized(data.x, data.y, 4, start, 20_000);
    expect(optimum.parameters.lengthscale).toBeLessThan(1); // no cap involved
    const { model } = pb2Models(input);
    expect(model.logMarginalLikelihood).toBeCloseTo(optimum.logMarginalLikelihood, 3);
    // A short fixed budget stops well short of it on this data.
    expect(pb2Models({ ...input, settings: { fitEvaluations: 100 } }).model.logMarginalLikelihood).toBeLessThan(optimum.logMarginalLikelihood - 0.05);
  });

  it("picks a config inside the bounds, where the reward grew fastest, and spreads a round's picks", () => {
    const random = lcg(7);
    const bounds = [
      [0, 1],
      [10, 20],
    ] as const;
    // Reward rate peaks at h = (0.7, 13).
    const rows: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 60; i++) {
      const h0 = random();
      const h1 = 10 + 10 * random();
      rows.push(i, 1 + i * 0.1, h0, h1);
      y.push(-((h0 - 0.7) ** 2) - ((h1 - 13) / 10) ** 2 + 0.01 * random());
    }
    const input = { x: Float64Array.from(rows), y: Float64Array.from(y), current: null, newpoint: [59, 6.9] as const, bounds, random: lcg(99) };
    const first = selectConfig(input);
    expect(first[0]).toBeGreaterThanOrEqual(0);
    expect(first[0]).toBeLessThanOrEqual(1);
    expect(first[1]).toBeGreaterThanOrEqual(10);
    expect(first[1]).toBeLessThanOrEqual(20);
    expect(Math.abs((first[0] as number) - 0.7)).toBeLessThan(0.2);
    expect(Math.abs((first[1] as number) - 13)).toBeLessThan(2.5);
    // With the first pick pending, the variance there shrinks: the next pick moves away from it.
    const again = selectConfig({ ...input, random: lcg(99) });
    expect(Array.from(again)).toEqual(Array.from(first));
    // With the round's earlier picks pending (y = 0 in the variance model), later picks spread out.
    let current = Array.from(first);
    let farthest = 0;
    for (let k = 0; k < 3; k++) {
      const next = selectConfig({ ...input, current: Float64Array.from(current), random: lcg(99) });
      farthest = Math.max(farthest, Math.hypot((next[0] as number) - (first[0] as number), ((next[1] as number) - (first[1] as number)) / 10));
      current = current.concat(Array.from(next));
    }
    expect(farthest).toBeGreaterThan(0.001);
  });
});

describe("PB2", () => {
  const bench = rlReturnObjective();
  const pb2 = (seed: number) =>
    new PB2({
      metric: bench.metric,
      mode: "max",
      seed,
      perturbationInterval: 120,
      hyperparamBounds: boundsFromSpace(bench.space),
      integerHyperparams: integerKeysFromSpace(bench.space),
      model: { fitEvaluations: 30, acquisitionStarts: 3, acquisitionEvaluations: 60 },
    });

  it("validates its bounds", () => {
    expect(() => new PB2({ metric: "m", mode: "max", hyperparamBounds: {} })).toThrow("PB2.hyperparamBounds: must name at least one hyperparameter");
    expect(() => new PB2({ metric: "m", mode: "max", hyperparamBounds: { lr: [1, 0] } })).toThrow("PB2.hyperparamBounds.lr: must be [low, high] with low < high");
    expect(() => new PB2({ metric: "m", mode: "max", hyperparamBounds: { lr: [0, 1] }, integerHyperparams: ["batch"] })).toThrow('PB2.integerHyperparams: "batch"');
  });

  it("explores by the GP: every new config lies inside the bounds, integers stay integers, and it is deterministic", () => {
    const runOnce = (scheduler: PB2) =>
      simulate({ objective: bench.objective, space: bench.space, metric: bench.metric, mode: "max", trials: 4, seed: 2, scheduler, cluster: { gpus: 4 }, maxIterations: 80 });
    const scheduler = pb2(2);
    const run = runOnce(scheduler);
    const log = scheduler.policyLog();
    expect(log.length).toBeGreaterThan(2);
    for (const entry of log) {
      for (const [key, [low, high]] of Object.entries(RL_RETURN_BOUNDS)) {
        const value = entry.config[key] as number;
        expect(value, key).toBeGreaterThanOrEqual(low);
        expect(value, key).toBeLessThanOrEqual(high);
      }
      expect(Number.isInteger(entry.config["train_batch_size"])).toBe(true);
    }
    const again = pb2(2);
    expect(runOnce(again).summary.best).toEqual(run.summary.best);
    expect(again.policyLog()).toEqual(log);
  });

  it("counts a clone that kept the donor's config (no data on the donor yet) among the round's picks, as Ray", () => {
    class Probe extends PB2 {
      point(trial: TrialView, time: number, score: number): void {
        this.onPerturbationPoint(trial, time, score);
      }
      pick(trial: TrialView, donor: TrialView): Config {
        return this.newConfig(trial, donor);
      }
    }
    const probe = new Probe({ metric: "m", mode: "max", hyperparamBounds: { lr: [0, 1] }, model: { fitEvaluations: 20, acquisitionStarts: 2, acquisitionEvaluations: 20 } });
    const view = (id: string, lr: number) => ({ id, config: { lr } }) as unknown as TrialView;
    const pending = () => {
      const { current, lastExplorationTime } = (probe.save() as { extra: { current: number[][]; lastExplorationTime: number } }).extra;
      return { current, lastExplorationTime };
    };
    // First round: one row per trial, no reward change yet: the clone copies the donor.
    probe.point(view("a", 0.2), 10, 1);
    probe.point(view("b", 0.8), 10, 5);
    expect(probe.pick(view("a", 0.2), view("b", 0.8))).toEqual({ lr: 0.8 });
    expect(pending()).toEqual({ current: [[0.8]], lastExplorationTime: 10 });
    // Same round, another clone of b: it joins the picks.
    probe.pick(view("c", 0.5), view("b", 0.8));
    expect(pending().current).toEqual([[0.8], [0.8]]);
    // Next round (later data): b has a reward change now, the GP picks, the round starts afresh.
    probe.point(view("b", 0.8), 20, 9);
    const chosen = probe.pick(view("a", 0.8), view("b", 0.8))["lr"] as number;
    expect(pending()).toEqual({ current: [[chosen]], lastExplorationTime: 20 });
  });

  it("save()/restore() carry its data: a restored PB2 picks the same next config", () => {
    const scheduler = pb2(3);
    simulate({ objective: bench.objective, space: bench.space, metric: bench.metric, mode: "max", trials: 4, seed: 3, scheduler, cluster: { gpus: 4 }, maxIterations: 40 });
    const copy = pb2(3);
    copy.restore(JSON.parse(JSON.stringify(scheduler.save())) as Json);
    expect(copy.save()).toEqual(scheduler.save());
  });
});
