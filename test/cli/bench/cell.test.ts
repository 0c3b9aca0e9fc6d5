import { describe, expect, it } from "vitest";
import { benchmarkByName, benchmarkDefaults } from "../../../benchmarks/objectives/index.ts";
import { isBenchmarkRegistered, registerBenchmark, type SuiteDefinition } from "../../../benchmarks/suites/index.ts";
import { runCell } from "../../../cli/bench/cell.ts";

// branin, except that the 7th trial's init throws once: what a surrogate call that timed
// out, or an allocation that failed on a loaded machine, looks like to the simulator.
const name = "test-cell/throws-once";
let inits = 0;
if (!isBenchmarkRegistered(name)) {
  registerBenchmark(name, {
    load: () => {
      const benchmark = benchmarkByName("branin", { maxIterations: 10 });
      const objective = Object.create(benchmark.objective) as typeof benchmark.objective;
      objective.init = (config, rng) => {
        if (++inits === 7) throw new Error("surrogate: no answer within 60000 ms");
        return benchmark.objective.init(config, rng);
      };
      return { benchmark: { ...benchmark, objective }, defaults: benchmarkDefaults("branin"), regretScale: 1 };
    },
  });
}

const suite: SuiteDefinition = {
  name: "test-cell",
  description: "one benchmark whose objective throws once",
  benchmarks: [name, "branin"],
  gpus: 4,
  trials: 20,
  seeds: 1,
  methods: ["random:fifo"],
  targetRegret: 0.1,
  maxIterations: 10,
};

describe("runCell", () => {
  it("fails a cell in which a trial failed (the simulator would go on, and the cell's figures would depend on the machine's load)", async () => {
    const record = await runCell({ suite: suite.name, method: "random:fifo", benchmark: name, seed: 0 }, suite);
    expect(record.ok).toBe(false);
    expect(!record.ok && record.error).toMatch(/^trial \S+ failed: .*surrogate: no answer within 60000 ms; a benchmark's objective does not fail/);
    // A benchmark that does not throw gives a finished cell.
    expect((await runCell({ suite: suite.name, method: "random:fifo", benchmark: "branin", seed: 0 }, suite)).ok).toBe(true);
  });
});
