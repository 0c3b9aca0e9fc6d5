import { describe, expect, it } from "vitest";
import { ComputeBudgetStopper } from "../../../core/stoppers/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { countingObjective, countingSpace } from "../../_helpers/objectives.ts";

const base = { objective: countingObjective, space: countingSpace, metric: "loss", mode: "min" as const, maxIterations: 10, cluster: { gpus: 4 } };

describe("ComputeBudgetStopper", () => {
  it("stops the experiment at the first result on or after the seconds budget, never a trial", () => {
    const stopper = new ComputeBudgetStopper({ seconds: 100 });
    expect(stopper.shouldStopTrial()).toBe(false);
    expect(stopper.shouldStopAll(99.9)).toBe(false);
    expect(stopper.shouldStopAll(100)).toBe(true);
  });

  it("reads GPU-seconds from the meter it is given", () => {
    let used = 0;
    const stopper = new ComputeBudgetStopper({ gpuHours: 1 }, () => used);
    expect(stopper.shouldStopAll(0)).toBe(false);
    used = 3599;
    expect(stopper.shouldStopAll(0)).toBe(false);
    used = 3600;
    expect(stopper.shouldStopAll(0)).toBe(true);
  });

  it("names a bad budget", () => {
    expect(() => new ComputeBudgetStopper({})).toThrow("budget: needs seconds or gpuHours");
    expect(() => new ComputeBudgetStopper({ seconds: 0 })).toThrow("budget.seconds: must be a finite number > 0, got 0");
    expect(() => new ComputeBudgetStopper({ gpuHours: Number.NaN }, () => 0)).toThrow("budget.gpuHours: must be a finite number > 0, got NaN");
    expect(() => new ComputeBudgetStopper({ gpuHours: 1 })).toThrow("budget.gpuHours: needs an executor that meters GPU-seconds");
  });
});

describe("simulate with a budget", () => {
  it("keeps creating trials until the simulated seconds are spent, then stops everything", () => {
    const run = simulate({ ...base, budget: { seconds: 200 } });
    // Steps take 1..2 s: the budget fires at the first result at or after 200 s.
    expect(run.summary.simulatedSeconds).toBeGreaterThanOrEqual(200);
    expect(run.summary.simulatedSeconds).toBeLessThanOrEqual(202);
    // 4 GPUs x 200 s / (10 steps of 1..2 s plus start-up) is far more than the 4 that fit at once.
    expect(run.summary.trials).toBeGreaterThan(20);
    expect(run.summary.trialStates.RUNNING ?? 0).toBe(0);
    // The trials cut by the budget did not reach iteration 10.
    expect(run.trials.some((t) => t.history.length < 10)).toBe(true);
  });

  it("meters GPU-hours with running trials counted, and overshoots by at most one step per GPU", () => {
    const budgetSeconds = 0.1 * 3600;
    const run = simulate({ ...base, budget: { gpuHours: 0.1 } });
    expect(run.summary.gpuSeconds).toBeGreaterThanOrEqual(budgetSeconds);
    expect(run.summary.gpuSeconds).toBeLessThanOrEqual(budgetSeconds + 4 * 2);
  });

  it("still honours a trial cap, and needs trials or a budget", () => {
    expect(simulate({ ...base, trials: 5, budget: { seconds: 10_000 } }).summary.trials).toBe(5);
    expect(() => simulate({ ...base })).toThrow("trials: is required without a budget");
    expect(() => simulate({ ...base, budget: { seconds: -1 } })).toThrow("budget.seconds: must be a finite number > 0, got -1");
  });
});
