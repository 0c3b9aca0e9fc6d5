import { describe, expect, it } from "vitest";
import { budgetFor, isBenchmarkRegistered, lcbenchSuite, loadBenchmark, registerBenchmark, rlSuite, suiteByName, suiteNames, syntheticSuite, validateSuite } from "../../../benchmarks/suites/index.ts";

describe("suites", () => {
  it("ships synthetic, rl and lcbench, whose benchmarks are registered (LCBench's as a lazy family)", () => {
    expect(suiteNames()).toEqual(expect.arrayContaining(["synthetic", "rl", "lcbench"]));
    for (const b of [...syntheticSuite.benchmarks, ...rlSuite.benchmarks, ...lcbenchSuite.benchmarks]) expect(isBenchmarkRegistered(b), b).toBe(true);
    expect(isBenchmarkRegistered("lcbench/12")).toBe(false);
    expect(() => loadBenchmark("lcbench/12")).toThrow(/benchmark: unknown name "lcbench\/12": "12" is not one of the 34 lcbench\/\.\.\. members \(3945, 167184, /);
    expect(lcbenchSuite.benchmarks).toHaveLength(34);
    expect(lcbenchSuite.benchmarks[0]).toBe("lcbench/3945");
    expect(suiteByName("rl")).toBe(rlSuite);
    expect(() => suiteByName("nope")).toThrow(/suite: unknown name "nope"; known: synthetic/);
  });

  it("gives each benchmark its budget", () => {
    expect(budgetFor(syntheticSuite, "branin")).toEqual({ seconds: 1200 });
    expect(budgetFor(rlSuite, "noisy-lr-schedule")).toEqual({ seconds: 1000 });
    expect(() => budgetFor(rlSuite, "branin")).toThrow('suite rl.budget: has no budget for benchmark "branin"');
    expect(budgetFor(lcbenchSuite, "lcbench/3945")).toBeUndefined();
  });

  it("names the field of a malformed suite", () => {
    expect(() => validateSuite({ ...syntheticSuite, gpus: 0 })).toThrow("suite synthetic.gpus: must be an integer >= 1, got 0");
    expect(() => validateSuite({ ...syntheticSuite, benchmarks: [] })).toThrow("suite synthetic.benchmarks: must name at least one benchmark");
    const { budget: _budget, ...noBudget } = syntheticSuite;
    expect(() => validateSuite(noBudget)).toThrow("suite synthetic.trials: is required without a budget");
    expect(() => validateSuite({ ...syntheticSuite, budget: { seconds: -5 } })).toThrow("budget.seconds: must be a finite number > 0, got -5");
  });

  it("loads a benchmark registered with an asynchronous factory, once", async () => {
    let loads = 0;
    const branin = await loadBenchmark("branin");
    registerBenchmark("test/async-branin", {
      load: async () => {
        loads++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return branin;
      },
    });
    const [a, b] = await Promise.all([loadBenchmark("test/async-branin"), loadBenchmark("test/async-branin")]);
    expect(a).toBe(branin);
    expect(b).toBe(branin);
    expect(loads).toBe(1);
    expect(() => registerBenchmark("test/async-branin", { load: () => branin })).toThrow('"test/async-branin" is already registered');
  });

  it("normalises regret by a typical random configuration's (synthetic) or the start's distance (RL)", async () => {
    const branin = await loadBenchmark("branin");
    expect(branin.trueMetric).toBe("f");
    expect(branin.regretScale).toBeGreaterThan(0);
    expect((await loadBenchmark("noisy-lr-schedule")).regretScale).toBe(200);
    expect((await loadBenchmark("pbt-toy")).regretScale).toBeCloseTo(1.62, 12);
  });
});
