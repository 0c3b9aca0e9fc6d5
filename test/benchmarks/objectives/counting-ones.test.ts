import { describe, expect, it } from "vitest";
import { countingOnesObjective } from "../../../benchmarks/objectives/counting-ones.ts";
import { OptionError } from "../../../core/contracts/index.ts";
import { rngFor } from "../../../core/rng.ts";

describe("countingOnesObjective (Falkner et al. 2018)", () => {
  const bench = countingOnesObjective();
  const config = { ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`c${i}`, i < 5 ? 1 : 0])), ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`x${i}`, 0.25])) };

  it("has 8 binary and 8 continuous dimensions and optimum -16", () => {
    expect(Object.keys(bench.space)).toHaveLength(16);
    expect(bench.optimum).toBe(-16);
  });

  it("f is exact; the loss at budget t averages t Bernoulli samples and converges to f", () => {
    const rng = rngFor(3, "counting-ones");
    let state = bench.objective.init(config, rng);
    let last = { loss: 0, f: 0 };
    const early: number[] = [];
    for (let t = 1; t <= 4000; t++) {
      const out = bench.objective.step(state, config, { iteration: t, rng, resources: { cpu: 1, gpu: 1 } });
      state = out.state;
      last = out.metrics as typeof last;
      if (t === 1) early.push(last.loss);
      expect(out.seconds).toBe(1);
    }
    expect(last.f).toBe(-(5 + 8 * 0.25));
    // 8 dims x Bernoulli(0.25) averaged over 4000 samples: sd of the sum about 0.02.
    expect(Math.abs(last.loss - last.f)).toBeLessThan(0.1);
    // One sample: each continuous term is 0 or 1, so the loss is an integer.
    expect(Number.isInteger(early[0])).toBe(true);
  });

  it("names a bad config value", () => {
    expect(() => bench.objective.init({ ...config, c3: 2 }, rngFor(0, "x"))).toThrow(/^config.c3: must be 0 or 1/);
    expect(() => bench.objective.init({ ...config, x1: 1.5 }, rngFor(0, "x"))).toThrow(OptionError);
    expect(() => countingOnesObjective({ continuous: -1 })).toThrow(/countingOnes.continuous/);
  });
});
