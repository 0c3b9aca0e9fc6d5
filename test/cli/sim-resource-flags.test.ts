import { describe, expect, it } from "vitest";
import { planFromFlags, runPlan, type SimFlags } from "../../cli/sim-command.ts";
import { simulate } from "../../simulator/index.ts";
import { benchmarkByName } from "../../benchmarks/objectives/index.ts";

const flags: SimFlags = {
  benchmark: "branin",
  searcher: "random",
  scheduler: "asha",
  trials: "8",
  gpus: "16",
  seed: "1",
  maxIterations: "12",
  preemptionRate: "0",
  gpusPerTrial: "1",
  checkpointFrequency: "0",
  maxFailures: "0",
};

describe("tunelab sim: dynamic resources flags", () => {
  it("builds the spec and the scaling from the flags, and the run resizes trials", () => {
    const plan = planFromFlags({ ...flags, resourceChanging: "top-job", increaseByGpus: "1", increaseByTimes: "3", reserveGpus: "2", resourceScaling: "table:1=1,4=3" });
    expect(plan.resourceChanging).toEqual({ policy: "top-job", increaseBy: { gpu: 1 }, increaseByTimes: 3, reserveResources: { gpu: 2 } });
    expect(plan.resourceScaling).toEqual({ kind: "table", speedup: { "1": 1, "4": 3 } });
    const lines: string[] = [];
    runPlan(plan, (line) => lines.push(line));
    expect(lines.some((l) => l.includes('"type":"resources"'))).toBe(true);
  });

  it.each([
    [{ resourceChanging: "evenly" }, '--resource-changing: got unknown name "evenly"; known: distribute, top-job'],
    [{ reserveGpus: "1" }, "--reserve-gpus: applies only with --resource-changing"],
    [{ resourceChanging: "distribute", increaseByTimes: "2" }, "--increase-by-times: needs --increase-by-gpus"],
    [{ resourceChanging: "distribute", increaseByGpus: "0" }, '--increase-by-gpus: must be a finite number > 0, got "0"'],
    [{ resourceScaling: "amdahl:1.5" }, "--resource-scaling.parallelFraction: must be a finite number >= 0 and <= 1, got 1.5"],
  ] as Array<[Partial<SimFlags>, string]>)("refuses %j in one line", (extra, message) => {
    expect(() => planFromFlags({ ...flags, ...extra })).toThrow(message);
  });
});

describe("simulate(): dynamic resources options", () => {
  const bench = benchmarkByName("branin");
  const base = { objective: bench.objective, space: bench.space, metric: bench.metric, mode: bench.mode, trials: 2, maxIterations: 3 } as const;
  it.each([
    [{ resourceChanging: { policy: "even" } }, 'resourceChanging.policy: got unknown name "even"; known: distribute, top-job'],
    [{ resourceChanging: { policy: "distribute", increaseBy: { tpu: 1 } } }, "resourceChanging.increaseBy.tpu: is not a resource; known: cpu, gpu"],
    [{ resourceChanging: { policy: "distribute", reserveResources: { gpu: -1 } } }, "resourceChanging.reserveResources.gpu: must be a finite number >= 0, got -1"],
    [{ resourceChanging: { policy: "distribute", increaseBy: { cpu: 0 } } }, "resourceChanging.increaseBy: needs a cpu or gpu amount > 0"],
    [{ resourceScaling: { kind: "amdahl" } }, "resourceScaling.parallelFraction: must be a finite number >= 0 and <= 1, got undefined"],
  ])("refuses %j in one line", (extra, message) => {
    expect(() => simulate({ ...base, ...(extra as object) })).toThrow(message);
  });

  it("a scaling override changes step times only", () => {
    const plain = simulate({ ...base, resources: { cpu: 1, gpu: 2 } });
    const linear = simulate({ ...base, resources: { cpu: 1, gpu: 2 }, resourceScaling: { kind: "amdahl", parallelFraction: 1 } });
    expect(linear.trials.map((t) => t.history.map((r) => r.metrics))).toEqual(plain.trials.map((t) => t.history.map((r) => r.metrics)));
    const time = (run: typeof plain) => (run.trials[0]?.lastResult?.timeTotal ?? 0);
    // Default Amdahl 0.9 on 2 GPUs: 0.55 of the one-GPU time; p = 1: 0.5.
    expect(time(linear) / time(plain)).toBeCloseTo(0.5 / 0.55, 9);
  });
});
