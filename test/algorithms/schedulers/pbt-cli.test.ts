import { describe, expect, it } from "vitest";
import { planFromFlags, runPlan, type SimFlags } from "../../../cli/sim-command.ts";

const flags = (extra: Partial<SimFlags>): SimFlags => ({
  benchmark: "noisy-lr-schedule",
  searcher: "random",
  scheduler: "pbt",
  trials: "4",
  gpus: "4",
  seed: "1",
  maxIterations: "300",
  preemptionRate: "0",
  gpusPerTrial: "1",
  checkpointFrequency: "0",
  maxFailures: "0",
  ...extra,
});

describe("tunelab sim --scheduler pbt|pb2", () => {
  it("runs PBT and PB2 on the RL-like benchmarks with the population = --trials and --perturbation-interval", () => {
    for (const [scheduler, benchmark] of [
      ["pbt", "noisy-lr-schedule"],
      ["pb2", "rl-return"],
      ["pbt", "pbt-toy"],
    ] as const) {
      const summary = runPlan(planFromFlags(flags({ scheduler, benchmark, perturbationInterval: "20", maxIterations: "60" })));
      expect(summary.scheduler).toBe(scheduler);
      expect(summary.trials).toBe(4);
      expect(summary.best).not.toBeNull();
    }
  });

  it("rejects a bad --perturbation-interval naming the flag", () => {
    expect(() => planFromFlags(flags({ perturbationInterval: "0" }))).toThrow('--perturbation-interval: must be a finite number > 0, got "0"');
    expect(() => planFromFlags(flags({ perturbationInterval: "x" }))).toThrow("--perturbation-interval");
    expect(planFromFlags(flags({ perturbationInterval: "12.5" })).perturbationInterval).toBe(12.5);
  });
});
