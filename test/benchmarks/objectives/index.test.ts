import { describe, expect, it } from "vitest";
import { benchmarkByName, benchmarkNames, branin, hartmann3, hartmann6 } from "../../../benchmarks/objectives/index.ts";
import { validateSpace } from "../../../core/space/index.ts";
import { seededStream } from "./_seeded-stream.ts";

describe("benchmark registry", () => {
  it("lists the known benchmarks", () => {
    expect(benchmarkNames).toEqual(["branin", "hartmann3", "hartmann6", "rosenbrock4", "pbt-toy", "noisy-lr-schedule", "rl-return"]);
  });

  it("builds each benchmark with a matching space, optimum and a working objective", () => {
    const optima: Record<string, number> = { branin: branin.optimum, hartmann3: hartmann3.optimum, hartmann6: hartmann6.optimum, rosenbrock4: 0 };
    const dims: Record<string, number> = { branin: 2, hartmann3: 3, hartmann6: 6, rosenbrock4: 4 };
    // The learning-curve benchmarks; the stateful RL-like ones have their own tests.
    for (const name of ["branin", "hartmann3", "hartmann6", "rosenbrock4"]) {
      const bench = benchmarkByName(name);
      expect(bench.name).toBe(name);
      expect(bench.optimum).toBe(optima[name]);
      expect(Object.keys(bench.space)).toHaveLength(dims[name] as number);
      expect(() => validateSpace(bench.space)).not.toThrow();
      expect(bench.metric).toBe("loss");
      expect(bench.mode).toBe("min");
      const config = Object.fromEntries(Object.keys(bench.space).map((k) => [k, name === "branin" ? (k === "x0" ? 1 : 5) : 0.5]));
      const rng = seededStream(1);
      const outcome = bench.objective.step(bench.objective.init(config, rng), config, { iteration: 1, rng, resources: { cpu: 1, gpu: 0 } });
      expect(Number.isFinite(outcome.metrics["loss"])).toBe(true);
      expect(outcome.metrics["f"]).toBeGreaterThanOrEqual(bench.optimum);
    }
  });

  it("rejects unknown names with the exact message", () => {
    let thrown: unknown;
    try {
      benchmarkByName("ackley");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe('benchmark: unknown name "ackley"; known: branin, hartmann3, hartmann6, rosenbrock4, pbt-toy, noisy-lr-schedule, rl-return');
    expect(() => benchmarkByName("toString")).toThrow(/benchmark: unknown name "toString"/);
  });
});
