import { describe, expect, it } from "vitest";
import type { Result } from "../../../core/contracts/index.ts";
import {
  ExperimentPlateauStopper,
  MaximumIterationStopper,
  MetricThresholdStopper,
  TimeoutStopper,
  TrialPlateauStopper,
} from "../../../core/stoppers/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { countingObjective, countingSpace } from "../../_helpers/objectives.ts";

const result = (trialId: string, iteration: number, loss: number): Result => ({ trialId, iteration, metrics: { loss }, time: iteration, timeTotal: iteration });

describe("stoppers (Ray Tune semantics)", () => {
  it("MaximumIterationStopper stops at training_iteration >= maxIter", () => {
    const s = new MaximumIterationStopper(3);
    expect([1, 2, 3, 4].map((i) => s.shouldStopTrial(result("a", i, 0)))).toEqual([false, false, true, true]);
    expect(() => new MaximumIterationStopper(0)).toThrow("maxIter: must be an integer >= 1, got 0");
  });

  it("MetricThresholdStopper stops when the metric reaches the threshold in the mode's direction", () => {
    const max = new MetricThresholdStopper({ metric: "loss", threshold: 0.9 });
    expect(max.shouldStopTrial(result("a", 1, 0.89))).toBe(false);
    expect(max.shouldStopTrial(result("a", 2, 0.9))).toBe(true); // Ray's `>=`
    const min = new MetricThresholdStopper({ metric: "loss", threshold: 0.1, mode: "min" });
    expect(min.shouldStopTrial(result("a", 1, 0.2))).toBe(false);
    expect(min.shouldStopTrial(result("a", 2, 0.1))).toBe(true);
  });

  it("TrialPlateauStopper: after the grace period, stops when the std of the last numResults is below std", () => {
    const s = new TrialPlateauStopper({ metric: "loss", std: 0.01, numResults: 4, gracePeriod: 4 });
    const values = [5, 4, 1.0, 1.001, 1.002, 1.0, 1.001];
    const decisions = values.map((v, i) => s.shouldStopTrial(result("a", i + 1, v)));
    // Window [1.0, 1.001, 1.002, 1.0] (results 3..6) is the first flat one: std 0.00083 < 0.01.
    expect(decisions).toEqual([false, false, false, false, false, true, true]);
    // Per trial: another trial starts its own window and grace period.
    expect(s.shouldStopTrial(result("b", 1, 1))).toBe(false);
  });

  it("TrialPlateauStopper with metricThreshold stops only once the value is good enough", () => {
    const s = new TrialPlateauStopper({ metric: "loss", numResults: 2, gracePeriod: 1, metricThreshold: 0.5, mode: "min" });
    expect(s.shouldStopTrial(result("a", 1, 1))).toBe(false);
    expect(s.shouldStopTrial(result("a", 2, 1))).toBe(false); // flat, but 1 > 0.5
    expect(s.shouldStopTrial(result("a", 3, 0.4))).toBe(false); // good, but not flat
    expect(s.shouldStopTrial(result("a", 4, 0.4))).toBe(true);
    expect(() => new TrialPlateauStopper({ metric: "loss", metricThreshold: 1 })).toThrow("TrialPlateauStopper.mode: is required when metricThreshold is set");
  });

  it("TrialPlateauStopper restores its windows exactly", () => {
    const a = new TrialPlateauStopper({ metric: "loss", numResults: 3, gracePeriod: 0 });
    a.shouldStopTrial(result("a", 1, 2));
    a.shouldStopTrial(result("a", 2, 2));
    const b = new TrialPlateauStopper({ metric: "loss", numResults: 3, gracePeriod: 0 });
    b.restore(JSON.parse(JSON.stringify(a.save())));
    expect(b.shouldStopTrial(result("a", 3, 2))).toBe(true);
  });

  it("ExperimentPlateauStopper keeps the top values and stops all after patience", () => {
    const s = new ExperimentPlateauStopper({ metric: "loss", mode: "min", top: 3, std: 0.01, patience: 1 });
    const seen = [1, 0.5, 0.5, 0.5, 0.9].map((v, i) => [s.shouldStopTrial(result(`t${i}`, 1, v)), s.shouldStopAll()]);
    // top-3 smallest after 4 values: [0.5, 0.5, 0.5] plateaued once (patience 1 not yet passed: counter 1 >= 1 -> stop).
    expect(seen).toEqual([
      [false, false],
      [false, false],
      [false, false],
      [true, true],
      [true, true],
    ]);
    expect(() => new ExperimentPlateauStopper({ metric: "loss", top: 1 })).toThrow("ExperimentPlateauStopper.top: must be an integer >= 2, got 1");
  });

  it("TimeoutStopper ends the experiment on the simulated clock", () => {
    const run = simulate({
      objective: countingObjective,
      space: countingSpace,
      metric: "loss",
      mode: "min",
      trials: 100,
      cluster: { gpus: 2 },
      stoppers: [new TimeoutStopper(120)],
    });
    expect(run.summary.simulatedSeconds).toBeGreaterThanOrEqual(120);
    expect(run.summary.simulatedSeconds).toBeLessThan(125); // no step outlives the budget by more than one step
    expect(run.summary.trialStates.TERMINATED).toBe(run.trials.length);
    expect(() => new TimeoutStopper(0)).toThrow("timeoutSeconds: must be a finite number > 0, got 0");
  });
});
