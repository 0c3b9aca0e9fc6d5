import { describe, expect, it } from "vitest";
import { ASHAScheduler, HyperBandScheduler, MedianStoppingRule } from "../../../algorithms/schedulers/index.ts";
import { schedulerFactories, type AlgorithmContext } from "../../../cli/algorithms.ts";
import { planFromFlags, runPlan, type SimFlags } from "../../../cli/sim-command.ts";
import { benchmarkByName } from "../../../benchmarks/objectives/index.ts";

const flags: SimFlags = {
  benchmark: "branin",
  searcher: "random",
  scheduler: "asha",
  trials: "24",
  gpus: "4",
  seed: "1",
  maxIterations: "100",
  preemptionRate: "0",
  gpusPerTrial: "1",
  checkpointFrequency: "0",
  maxFailures: "0",
};

describe("tunelab sim --scheduler asha | asha-promotion | hyperband | median", () => {
  it("runs each scheduler from flags", () => {
    for (const scheduler of ["asha", "asha-promotion", "hyperband", "median"]) {
      const summary = runPlan(planFromFlags({ ...flags, scheduler }));
      expect(summary.scheduler).toBe(scheduler);
      expect(summary.trials).toBe(24);
      expect(summary.best).not.toBeNull();
    }
  });

  it("passes --max-t, --grace-period and --reduction-factor to the schedulers", () => {
    const bench = benchmarkByName("branin");
    const plan = planFromFlags({ ...flags, maxT: "27", gracePeriod: "3", reductionFactor: "3" });
    expect([plan.maxT, plan.gracePeriod, plan.reductionFactor]).toEqual([27, 3, 3]);
    const c: AlgorithmContext = { space: bench.space, metric: "loss", mode: "min", seed: 0, trials: 10, maxIterations: 100, maxT: 27, gracePeriod: 3, reductionFactor: 3 };
    const asha = schedulerFactories.asha(c) as ASHAScheduler;
    expect([asha.maxT, asha.gracePeriod, asha.reductionFactor, asha.type]).toEqual([27, 3, 3, "stopping"]);
    expect((schedulerFactories["asha-promotion"](c) as ASHAScheduler).type).toBe("promotion");
    const hb = schedulerFactories.hyperband(c) as HyperBandScheduler;
    expect([hb.maxT, hb.reductionFactor]).toEqual([27, 3]);
    expect((schedulerFactories.median(c) as MedianStoppingRule).gracePeriod).toBe(3);
    // Defaults: ASHA's maxT follows --max-iterations, HyperBand's is min(81, --max-iterations).
    const d: AlgorithmContext = { space: bench.space, metric: "loss", mode: "min", seed: 0, trials: 10, maxIterations: 50 };
    expect((schedulerFactories.asha(d) as ASHAScheduler).maxT).toBe(50);
    expect((schedulerFactories.hyperband(d) as HyperBandScheduler).maxT).toBe(50);
    expect((schedulerFactories.hyperband({ ...d, maxIterations: 100 }) as HyperBandScheduler).maxT).toBe(81);
  });

  it("rejects bad values with an error naming the flag", () => {
    expect(() => planFromFlags({ ...flags, reductionFactor: "1" })).toThrow('--reduction-factor: must be a finite number > 1, got "1"');
    expect(() => planFromFlags({ ...flags, maxT: "0" })).toThrow("--max-t");
    expect(() => planFromFlags({ ...flags, gracePeriod: "-2" })).toThrow("--grace-period");
    // Blames the flag, not the ASHAScheduler option it becomes.
    expect(() => planFromFlags({ ...flags, gracePeriod: "500" })).toThrow('--grace-period: must be < max-t (100, from --max-iterations), got "500"');
  });
});
