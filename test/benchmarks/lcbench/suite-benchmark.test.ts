import { afterAll, describe, expect, it } from "vitest";
import { rngFor } from "../../../core/rng.ts";
import { sampleConfig } from "../../../core/space/index.ts";
import { lcbenchSpace, predictCurves, surrogateInputs } from "../../../benchmarks/lcbench/index.ts";
import { lcbenchSuiteBenchmark, sharedLcbench } from "../../../benchmarks/lcbench/suite-benchmark.ts";

afterAll(async () => (await sharedLcbench()).close());

describe("lcbenchSuiteBenchmark (the registry's lcbench/<task>)", () => {
  it("gives 52 epochs, ASHA's rung 1, PBT every 4 median epochs, and YAHPO's range as the regret scale", async () => {
    const loaded = await lcbenchSuiteBenchmark("3945");
    const suite = await sharedLcbench();
    const stats = suite.data.stats.get("3945")!;
    expect(loaded.regretScale).toBe(stats.val_accuracy.max - stats.val_accuracy.min);
    expect(loaded.benchmark.metric).toBe("val_accuracy");
    expect(loaded.defaults.maxIterations).toBe(52);
    expect(loaded.defaults.gracePeriod).toBe(1);
    // Independently: the same 64 seeded configurations, their whole curves, total seconds / 52.
    const rng = rngFor(0, "lcbench-typical-3945");
    const space = lcbenchSpace(suite.data);
    const inputs = Array.from({ length: 64 }, () => surrogateInputs(suite.data, sampleConfig(space, () => rng.next())));
    const means = predictCurves(suite.surrogate, suite.data, "3945", inputs).map((c) => (c.time[51] as number) / 52).sort((a, b) => a - b);
    const median = ((means[31] as number) + (means[32] as number)) / 2;
    expect(loaded.defaults.perturbationInterval / (4 * median)).toBeCloseTo(1, 2);
    // Tasks differ: another task's interval is its own.
    expect((await lcbenchSuiteBenchmark("189354")).defaults.perturbationInterval).not.toBeCloseTo(loaded.defaults.perturbationInterval, 0);
    // One shared session: usage counts every call made through it.
    expect(loaded.surrogateUsage?.().rows).toBeGreaterThanOrEqual(64);
  }, 60_000);
});
