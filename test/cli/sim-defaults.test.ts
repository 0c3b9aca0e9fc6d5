import { describe, expect, it } from "vitest";
import { planFromFlags, runPlan, type SimFlags } from "../../cli/sim-command.ts";

const flags = (extra: Partial<SimFlags>): SimFlags => ({
  benchmark: "noisy-lr-schedule",
  searcher: "random",
  scheduler: "pbt",
  gpus: "8",
  seed: "0",
  preemptionRate: "0",
  gpusPerTrial: "1",
  checkpointFrequency: "0",
  maxFailures: "0",
  ...extra,
});

describe("tunelab sim: per-benchmark defaults", () => {
  it("fills max iterations, ASHA's grace period and PBT's interval from the benchmark; flags win", () => {
    const pbt = planFromFlags(flags({}));
    expect(pbt).toMatchObject({ maxIterations: 1000, perturbationInterval: 20, trials: 50 });
    expect(planFromFlags(flags({ scheduler: "asha" })).gracePeriod).toBe(10);
    // The median rule's grace period is in seconds: no iteration default leaks into it.
    expect(planFromFlags(flags({ scheduler: "median" })).gracePeriod).toBeUndefined();
    expect(planFromFlags(flags({ benchmark: "branin" }))).toMatchObject({ maxIterations: 100, perturbationInterval: 60 });
    expect(planFromFlags(flags({ maxIterations: "30", perturbationInterval: "5" }))).toMatchObject({ maxIterations: 30, perturbationInterval: 5 });
  });

  it("shows PBT's point on noisy-lr-schedule without extra flags: it reaches the target 200, FIFO does not", () => {
    const pbt = runPlan(planFromFlags(flags({})));
    const fifo = runPlan(planFromFlags(flags({ scheduler: "fifo" })));
    expect(pbt.best?.metric).toBeGreaterThanOrEqual(200);
    expect(fifo.best?.metric).toBeLessThan(200);
  });
});

describe("tunelab sim: --budget-seconds and --budget-gpu-hours", () => {
  it("make trials unlimited unless --trials caps them", () => {
    expect(planFromFlags(flags({ budgetSeconds: "600" }))).toMatchObject({ budget: { seconds: 600 }, trials: Number.POSITIVE_INFINITY });
    expect(planFromFlags(flags({ budgetGpuHours: "2", trials: "9" }))).toMatchObject({ budget: { gpuHours: 2 }, trials: 9 });
  });

  it("runs until the budget is spent", () => {
    const s = runPlan(planFromFlags(flags({ benchmark: "branin", scheduler: "asha", budgetSeconds: "300" })));
    expect(s.simulatedSeconds).toBeGreaterThanOrEqual(300);
    expect(s.simulatedSeconds).toBeLessThan(310);
    expect(s.trials).toBeGreaterThan(50);
  });

  it("names a bad budget flag", () => {
    expect(() => planFromFlags(flags({ budgetSeconds: "0" }))).toThrow('--budget-seconds: must be a finite number > 0, got "0"');
    expect(() => planFromFlags(flags({ budgetGpuHours: "x" }))).toThrow("--budget-gpu-hours");
    expect(() => planFromFlags(flags({ searcher: "grid", budgetSeconds: "10" }))).toThrow("--trials: is needed with --searcher grid and a budget");
  });
});
