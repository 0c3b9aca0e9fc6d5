import { describe, expect, it } from "vitest";
import { PB2, boundsFromSpace, integerKeysFromSpace } from "../../../algorithms/schedulers/index.ts";
import { pb2TrainingData } from "../../../algorithms/schedulers/pb2/pb2-data.ts";
import { pb2Kappa, selectConfig, standardize } from "../../../algorithms/schedulers/pb2/select-config.ts";
import { fitTimeVaryingGP, timeVaryingKernel } from "../../../algorithms/math/time-varying-kernel.ts";
import type { Json } from "../../../core/contracts/index.ts";
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

  it("save()/restore() carry its data: a restored PB2 picks the same next config", () => {
    const scheduler = pb2(3);
    simulate({ objective: bench.objective, space: bench.space, metric: bench.metric, mode: "max", trials: 4, seed: 3, scheduler, cluster: { gpus: 4 }, maxIterations: 40 });
    const copy = pb2(3);
    copy.restore(JSON.parse(JSON.stringify(scheduler.save())) as Json);
    expect(copy.save()).toEqual(scheduler.save());
  });
});
