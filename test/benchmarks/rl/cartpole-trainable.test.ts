import { describe, expect, it } from "vitest";
import { cartPoleObjective, cartPoleSpace, meanRecentReturn, type ReinforceState } from "../../../benchmarks/rl/index.ts";
import type { Config, StepContext } from "../../../core/contracts/index.ts";
import { rngFor, type Rng } from "../../../core/rng.ts";
import { sampleConfig } from "../../../core/space/index.ts";

const GOOD: Config = { lr: 0.02, gamma: 0.98, entropy_coeff: 0.005, batch_episodes: 2 };
const TOO_SLOW: Config = { lr: 1e-4, gamma: 0.98, entropy_coeff: 0.005, batch_episodes: 2 };

function train(config: Config, steps: number, seed = 1, episodesPerStep = 10): { returns: number[]; state: ReinforceState; rng: Rng } {
  const objective = cartPoleObjective({ episodesPerStep });
  const rng = rngFor(seed, "trial", "t00000");
  let state = objective.init(config, rng);
  const returns: number[] = [];
  for (let i = 1; i <= steps; i++) {
    const out = objective.step(state, config, { iteration: i, rng, resources: { cpu: 1, gpu: 0 } } as StepContext);
    state = out.state;
    returns.push(out.metrics["mean_return"] as number);
  }
  return { returns, state, rng };
}

describe("REINFORCE with a baseline on CartPole", () => {
  it("learns with a good learning rate, and barely moves with a tiny one", () => {
    const good = train(GOOD, 25).returns;
    const slow = train(TOO_SLOW, 25).returns;
    // A random policy balances ~20 steps; the good config passes 150 within 250 episodes.
    expect(good[0]).toBeLessThan(60);
    expect(Math.max(...good)).toBeGreaterThan(150);
    expect(Math.max(...slow)).toBeLessThan(60);
  });

  it("reports the mean of the last 10 episodes, episode and env-step counters", () => {
    const { state } = train(GOOD, 3);
    expect(state.episodes).toBe(30);
    expect(state.recentReturns).toHaveLength(10);
    expect(meanRecentReturn(state)).toBeCloseTo(state.recentReturns.reduce((a, b) => a + b, 0) / 10, 12);
    expect(state.envSteps).toBeGreaterThanOrEqual(state.recentReturns.reduce((a, b) => a + b, 0));
    for (const r of state.recentReturns) expect(r).toBeLessThanOrEqual(500);
  });

  it("a checkpoint (JSON state + the trial's stream) continues exactly; the same seed repeats exactly", () => {
    const objective = cartPoleObjective({ episodesPerStep: 10 });
    const first = train(GOOD, 4);
    const savedState = JSON.parse(JSON.stringify(first.state)) as ReinforceState;
    const savedRng = first.rng.save();
    const ctx = (rng: Rng, iteration: number) => ({ iteration, rng, resources: { cpu: 1, gpu: 0 } }) as StepContext;
    const a = objective.step(first.state, GOOD, ctx(first.rng, 5));
    const restoredRng = rngFor(1, "trial", "t00000");
    restoredRng.restore(savedRng);
    const b = objective.step(savedState, GOOD, ctx(restoredRng, 5));
    expect(b.metrics).toEqual(a.metrics);
    expect(b.state.policy).toEqual(a.state.policy);
    expect(b.state.policyAdam).toEqual(a.state.policyAdam);
    expect(train(GOOD, 4).returns).toEqual(first.returns);
    expect(train(GOOD, 4, 2).returns).not.toEqual(first.returns);
  });

  it("charges simulated seconds per environment step", () => {
    const objective = cartPoleObjective({ episodesPerStep: 4, secondsPerEnvStep: 0.001 });
    const rng = rngFor(5, "trial", "t");
    const state = objective.init(GOOD, rng);
    const out = objective.step(state, GOOD, { iteration: 1, rng, resources: { cpu: 1, gpu: 0 } });
    expect(out.seconds).toBeCloseTo((out.metrics["env_steps"] as number) * 0.001, 9);
  });

  it("rejects bad options and configs with one line naming the field", () => {
    expect(() => cartPoleObjective({ episodesPerStep: 0 })).toThrow("cartPole.episodesPerStep: must be an integer >= 1, got 0");
    const objective = cartPoleObjective();
    const rng = rngFor(1, "t");
    const state = objective.init(GOOD, rng);
    expect(() => objective.step(state, { ...GOOD, lr: -1 }, { iteration: 1, rng, resources: { cpu: 1, gpu: 0 } })).toThrow("config.lr: must be a finite number > 0, got -1");
    expect(() => objective.step(state, { ...GOOD, gamma: Number.NaN }, { iteration: 1, rng, resources: { cpu: 1, gpu: 0 } })).toThrow("config.gamma");
  });

  it("its space samples configs the trainable accepts", () => {
    const rng = rngFor(1, "space");
    const config = sampleConfig(cartPoleSpace, rng.uniform);
    expect(Object.keys(config).sort()).toEqual(["batch_episodes", "entropy_coeff", "gamma", "lr"]);
    const objective = cartPoleObjective({ episodesPerStep: 2 });
    const state = objective.init(config, rng);
    expect(() => objective.step(state, config, { iteration: 1, rng, resources: { cpu: 1, gpu: 0 } })).not.toThrow();
  });
});
