import { describe, expect, it } from "vitest";
import type { Config } from "../../../core/contracts/index.ts";
import { benchmarkByName, rlReturnObjective, type RlReturnState } from "../../../benchmarks/objectives/index.ts";
import { seededStream } from "./_seeded-stream.ts";

const base: Config = { lr: 1e-4, clip_param: 0.2, lambda: 0.96, train_batch_size: 8000, entropy_coeff: 0.005 };

function curve(config: Config | ((t: number) => Config), seed: number, steps: number): { returns: number[]; state: RlReturnState; seconds: number } {
  const { objective } = rlReturnObjective();
  const rng = seededStream(seed);
  let state = objective.init(typeof config === "function" ? config(1) : config, rng);
  const returns: number[] = [];
  let seconds = 0;
  for (let t = 1; t <= steps; t++) {
    const c = typeof config === "function" ? config(t) : config;
    const out = objective.step(state, c, { iteration: t, rng, resources: { cpu: 1, gpu: 1 } });
    state = out.state;
    seconds += out.seconds;
    returns.push(out.metrics["episode_reward_mean"] as number);
  }
  return { returns, state, seconds };
}

describe("rl-return objective", () => {
  it("learns with sensible PPO settings and takes longer per step with larger batches", () => {
    const { state } = curve(base, 1, 150);
    expect(state.progress).toBeGreaterThan(0.5);
    expect(curve({ ...base, train_batch_size: 60000 }, 1, 1).seconds).toBeGreaterThan(curve({ ...base, train_batch_size: 1000 }, 1, 1).seconds * 5);
  });

  it("collapses after too-large updates late in training", () => {
    let collapses = 0;
    for (let seed = 1; seed <= 10; seed++) collapses += curve({ ...base, lr: 1e-3, clip_param: 0.5 }, seed, 150).state.collapses;
    expect(collapses).toBeGreaterThan(5);
    let gentle = 0;
    for (let seed = 1; seed <= 10; seed++) gentle += curve({ ...base, lr: 3e-5 }, seed, 150).state.collapses;
    expect(gentle).toBe(0);
  });

  it("rewards a decaying learning rate over the best fixed one", () => {
    const fixedLrs = [2e-5, 5e-5, 1e-4, 2e-4, 4e-4];
    const mean = (f: (seed: number) => number) => [1, 2, 3, 4, 5, 6, 7, 8].reduce((s, seed) => s + f(seed), 0) / 8;
    const bestFixed = Math.max(...fixedLrs.map((lr) => mean((seed) => curve({ ...base, lr }, seed, 60).state.progress)));
    const decaying = mean((seed) => curve((t) => ({ ...base, lr: Math.max(2e-5, 4e-4 * 0.96 ** t) }), seed, 60).state.progress);
    expect(decaying).toBeGreaterThan(bestFixed);
  });

  it("has heavy-tailed step noise and large seed-to-seed variance", () => {
    const { objective } = rlReturnObjective();
    const rng = seededStream(5);
    const state: RlReturnState = { progress: 0.5, timesteps: 0, aptitude: 1, collapses: 0 };
    const noise: number[] = [];
    for (let i = 0; i < 4000; i++) {
      noise.push((objective.step(state, { ...base, lr: 1e-5 }, { iteration: 1, rng, resources: { cpu: 1, gpu: 1 } }).metrics["episode_reward_mean"] as number) - 250);
    }
    const m = noise.reduce((a, b) => a + b, 0) / noise.length;
    const v = noise.reduce((a, b) => a + (b - m) ** 2, 0) / noise.length;
    const kurtosis = noise.reduce((a, b) => a + (b - m) ** 4, 0) / noise.length / (v * v);
    expect(kurtosis).toBeGreaterThan(5); // a normal has 3
    const aptitudes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((seed) => objective.init(base, seededStream(seed)).aptitude);
    expect(Math.max(...aptitudes) / Math.min(...aptitudes)).toBeGreaterThan(1.5);
  });

  it("checkpoints exactly: a cloned state continues identically", () => {
    const { objective } = rlReturnObjective();
    const a = curve(base, 3, 20).state;
    const b = structuredClone(a);
    const step = (s: RlReturnState) => objective.step(s, base, { iteration: 21, rng: seededStream(9), resources: { cpu: 1, gpu: 1 } });
    expect(step(b)).toEqual(step(a));
  });

  it("is in the registry with the PB2 paper's PPO ranges", () => {
    const bench = benchmarkByName("rl-return");
    expect(bench).toMatchObject({ metric: "episode_reward_mean", mode: "max", optimum: 500 });
    expect(Object.keys(bench.space).sort()).toEqual(["clip_param", "entropy_coeff", "lambda", "lr", "train_batch_size"]);
  });
});
