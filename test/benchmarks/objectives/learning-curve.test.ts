import { describe, expect, it } from "vitest";
import type { Config, StepContext } from "../../../core/contracts/index.ts";
import { branin, hartmann6, rosenbrock } from "../../../benchmarks/objectives/functions/index.ts";
import type { SyntheticFunction } from "../../../benchmarks/objectives/functions/index.ts";
import { learningCurveObjective } from "../../../benchmarks/objectives/learning-curve.ts";
import type { LearningCurveOptions, LearningCurveState } from "../../../benchmarks/objectives/learning-curve.ts";
import { seededStream } from "./_seeded-stream.ts";

const resources = { cpu: 1, gpu: 1 };

function randomConfig(fn: SyntheticFunction, seed: number): Config {
  const rng = seededStream(seed);
  return Object.fromEntries(fn.bounds.map(([low, high], i) => [`x${i}`, low + (high - low) * rng.next()]));
}

function run(fn: SyntheticFunction, config: Config, iterations: number, seed: number, options: LearningCurveOptions = {}) {
  const { objective } = learningCurveObjective(fn, options);
  const rng = seededStream(seed);
  let state = objective.init(config, rng);
  const losses: number[] = [];
  const seconds: number[] = [];
  let last: { f: number; done: boolean } = { f: Number.NaN, done: false };
  for (let iteration = 1; iteration <= iterations; iteration++) {
    const context: StepContext = { iteration, rng, resources };
    const outcome = objective.step(state, config, context);
    state = outcome.state;
    losses.push(outcome.metrics["loss"] as number);
    seconds.push(outcome.seconds);
    last = { f: outcome.metrics["f"] as number, done: outcome.done ?? false };
  }
  return { losses, seconds, last, state };
}

/** exp(-1 / decay) inverted: the time constant a state was built with. */
const tauOf = (state: LearningCurveState): number => -1 / Math.log(state.decay);

describe("learningCurveObjective", () => {
  it("returns a min-loss benchmark with a uniform space over x0..x{d-1} and the function's optimum", () => {
    const bench = learningCurveObjective(hartmann6);
    expect(bench.metric).toBe("loss");
    expect(bench.mode).toBe("min");
    expect(bench.optimum).toBe(hartmann6.optimum);
    expect(Object.keys(bench.space)).toEqual(["x0", "x1", "x2", "x3", "x4", "x5"]);
    expect(bench.objective.metrics).toEqual(["loss", "f"]);
  });

  it("reports f equal to the noiseless limit, and a noiseless loss that converges to it", () => {
    for (const fn of [branin, hartmann6, rosenbrock(4)]) {
      const config = randomConfig(fn, 7);
      const x = fn.bounds.map((_, i) => config[`x${i}`] as number);
      const { losses, last } = run(fn, config, 1000, 1, { noiseFraction: 0, maxIterations: 1000 });
      expect(last.f).toBe(fn.evaluate(x));
      const final = losses.at(-1) as number;
      expect(Math.abs(final - last.f)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(last.f)));
      // Noiseless curves only ever improve, and stay above their limit.
      for (let t = 1; t < losses.length; t++) expect(losses[t]).toBeLessThanOrEqual(losses[t - 1] as number);
      expect(Math.min(...losses)).toBeGreaterThanOrEqual(last.f);
    }
  });

  it("follows f + gap * exp(-t / tau) exactly without noise", () => {
    const config = randomConfig(branin, 3);
    const { losses, state } = run(branin, config, 50, 1, { noiseFraction: 0 });
    const tau = tauOf(state);
    const gap = state.gap;
    losses.forEach((loss, i) => expect(loss).toBeCloseTo(state.f + gap * Math.exp(-(i + 1) / tau), 9));
  });

  it("makes early losses clearly worse than final ones on average", () => {
    let early = 0;
    let final = 0;
    for (let seed = 0; seed < 40; seed++) {
      const { losses } = run(branin, randomConfig(branin, 100 + seed), 100, seed);
      early += (losses[0] as number) - (losses[99] as number);
      final += losses[99] as number;
      expect(losses[0] as number).toBeGreaterThan(losses[99] as number);
    }
    expect(early / 40).toBeGreaterThan(0.2 * Math.abs(final / 40));
  });

  it("gives the same sequence for the same seed and a different one for another seed", () => {
    const config = randomConfig(hartmann6, 11);
    const a = run(hartmann6, config, 30, 42).losses;
    const b = run(hartmann6, config, 30, 42).losses;
    const c = run(hartmann6, config, 30, 43).losses;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("shrinks the noise as training goes on", () => {
    const config = randomConfig(branin, 5);
    const clean = run(branin, config, 100, 0, { noiseFraction: 0 }).losses;
    let earlyError = 0;
    let lateError = 0;
    for (let seed = 0; seed < 200; seed++) {
      const noisy = run(branin, config, 100, seed).losses;
      earlyError += ((noisy[0] as number) - (clean[0] as number)) ** 2;
      lateError += ((noisy[99] as number) - (clean[99] as number)) ** 2;
    }
    expect(earlyError).toBeGreaterThan(0);
    expect(lateError).toBeLessThan(earlyError / 20); // variance ratio 1/100 in theory
  });

  it("gives configs different learning speeds within the tau range, smoothly", () => {
    const taus = Array.from({ length: 50 }, (_, seed) => tauOf(run(hartmann6, randomConfig(hartmann6, seed), 1, 0).state));
    for (const tau of taus) {
      expect(tau).toBeGreaterThanOrEqual(5 - 1e-9);
      expect(tau).toBeLessThanOrEqual(40 + 1e-9);
    }
    expect(Math.max(...taus) / Math.min(...taus)).toBeGreaterThan(3);
    // Smooth: a tiny config change barely moves tau.
    const config = randomConfig(hartmann6, 1);
    const nudged = { ...config, x2: (config["x2"] as number) + 1e-6 };
    const { objective } = learningCurveObjective(hartmann6);
    const rng = seededStream(0);
    expect(Math.abs(tauOf(objective.init(config, rng)) - tauOf(objective.init(nudged, rng)))).toBeLessThan(1e-3);
  });

  it("ranks imperfectly at low fidelity: some config ahead early is behind at the end", () => {
    const runs = Array.from({ length: 30 }, (_, seed) => run(branin, randomConfig(branin, seed), 100, 0, { noiseFraction: 0 }).losses);
    let inversions = 0;
    let agreements = 0;
    for (const a of runs) {
      for (const b of runs) {
        if ((a[2] as number) < (b[2] as number)) {
          if ((a[99] as number) > (b[99] as number)) inversions++;
          else agreements++;
        }
      }
    }
    expect(inversions).toBeGreaterThan(0);
    expect(agreements).toBeGreaterThan(inversions); // still informative
  });

  it("charges positive, finite, config-dependent seconds per step within the range", () => {
    const perConfig = Array.from({ length: 20 }, (_, seed) => run(branin, randomConfig(branin, seed), 3, 0).seconds);
    for (const seconds of perConfig) {
      for (const s of seconds) {
        expect(Number.isFinite(s)).toBe(true);
        expect(s).toBeGreaterThanOrEqual(1);
        expect(s).toBeLessThanOrEqual(3);
      }
    }
    expect(new Set(perConfig.map((s) => s[0])).size).toBeGreaterThan(1);
  });

  it("reports done at maxIterations and keeps state plain, cloneable numbers", () => {
    const config = randomConfig(branin, 1);
    const { last, state } = run(branin, config, 10, 0, { maxIterations: 10 });
    expect(last.done).toBe(true);
    expect(run(branin, config, 9, 0, { maxIterations: 10 }).last.done).toBe(false);
    expect(structuredClone(state)).toEqual(state);
    for (const value of Object.values(state)) expect(typeof value).toBe("number");
    expect(state.t).toBe(10);
  });

  it("resumes exactly from a cloned state", () => {
    const { objective } = learningCurveObjective(hartmann6);
    const config = randomConfig(hartmann6, 9);
    const full = run(hartmann6, config, 20, 5).losses;
    const rng = seededStream(5);
    let state = objective.init(config, rng);
    const resumed: number[] = [];
    for (let iteration = 1; iteration <= 20; iteration++) {
      if (iteration === 11) state = structuredClone(state);
      const outcome = objective.step(state, config, { iteration, rng, resources });
      state = outcome.state;
      resumed.push(outcome.metrics["loss"] as number);
    }
    expect(resumed).toEqual(full);
  });

  it("on a config change (PBT exploit) moves to the new config's limit and keeps learned progress", () => {
    const { objective } = learningCurveObjective(branin, { noiseFraction: 0 });
    const rng = seededStream(0);
    const before = randomConfig(branin, 1);
    const after = randomConfig(branin, 2);
    let state = objective.init(before, rng);
    for (let iteration = 1; iteration <= 30; iteration++) state = objective.step(state, before, { iteration, rng, resources }).state;
    const remainingBefore = state.remaining;
    const outcome = objective.step(state, after, { iteration: 31, rng, resources });
    const fresh = objective.init(after, rng);
    expect(outcome.metrics["f"]).toBe(fresh.f);
    expect(outcome.state.remaining).toBeCloseTo(remainingBefore * fresh.decay, 15);
    expect(outcome.metrics["loss"]).toBeCloseTo(fresh.f + fresh.gap * remainingBefore * fresh.decay, 9);
    expect(outcome.seconds).toBe(fresh.seconds);
  });

  it("clamps out-of-bounds coordinates and rejects non-numeric ones, naming the key", () => {
    const { objective } = learningCurveObjective(branin);
    const rng = seededStream(0);
    expect(objective.init({ x0: 100, x1: -3 }, rng).f).toBe(branin.evaluate([10, 0]));
    expect(() => objective.init({ x0: "a", x1: 1 }, rng)).toThrow(/config\.x0/);
    expect(() => objective.init({ x0: 1 }, rng)).toThrow(/config\.x1/);
    expect(() => objective.init({ x0: Number.NaN, x1: 1 }, rng)).toThrow(/config\.x0/);
  });

  it("validates options eagerly, naming the option", () => {
    expect(() => learningCurveObjective(branin, { maxIterations: 0 })).toThrow(/maxIterations/);
    expect(() => learningCurveObjective(branin, { tauRange: [10, 5] })).toThrow(/tauRange/);
    expect(() => learningCurveObjective(branin, { secondsRange: [0, 3] })).toThrow(/secondsRange/);
    expect(() => learningCurveObjective(branin, { noiseFraction: -1 })).toThrow(/noiseFraction/);
    expect(() => learningCurveObjective(branin, { scale: 0 })).toThrow(/scale/);
  });
});
