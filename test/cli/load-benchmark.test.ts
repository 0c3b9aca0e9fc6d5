import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { OptionError } from "../../core/errors/index.ts";
import { isLoadedBenchmark, loadBenchmark } from "../../cli/load-benchmark.ts";
import { planAndLoad, simCommand, type SimFlags } from "../../cli/sim-command.ts";
import { lcbenchDefaults, sharedLcbench } from "../../benchmarks/lcbench/suite-benchmark.ts";

const defaults: SimFlags = {
  benchmark: "hartmann6",
  searcher: "random",
  scheduler: "fifo",
  trials: "12",
  gpus: "4",
  seed: "0",
  maxIterations: "100",
  preemptionRate: "0",
  gpusPerTrial: "1",
  checkpointFrequency: "0",
  maxFailures: "0",
  json: true,
};

async function simJson(flags: Partial<SimFlags>): Promise<Record<string, unknown>> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await simCommand({ ...defaults, ...flags });
  } finally {
    spy.mockRestore();
  }
  return JSON.parse(written.join("")) as Record<string, unknown>;
}

describe("tunelab sim with loaded benchmarks", () => {
  it("knows which benchmarks need loading", () => {
    expect(isLoadedBenchmark({ benchmark: "lcbench/3945" })).toBe(true);
    expect(isLoadedBenchmark({ benchmark: "branin", formula: "x" })).toBe(true);
    expect(isLoadedBenchmark({ benchmark: "branin" })).toBe(false);
  });

  it("--benchmark lcbench/<task> runs the surrogate, 52 epochs at most, maximising val_accuracy", async () => {
    const s = await simJson({ benchmark: "lcbench/3945", scheduler: "asha" });
    expect(s.benchmark).toBe("lcbench/3945");
    expect(s.metric).toBe("val_accuracy");
    expect(s.mode).toBe("max");
    expect((s.best as { iteration: number }).iteration).toBeLessThanOrEqual(52);
    expect(s.results as number).toBeLessThanOrEqual(12 * 52);
  });

  it("--benchmark lcbench/<task> takes the task's own budget, not the CLI's generic one; flags still win", async () => {
    const { maxIterations: _generic, ...noIterations } = defaults;
    const own = lcbenchDefaults(await sharedLcbench(), "3945");
    // The task's PBT interval is 4 median epochs of its own (seconds differ ~100x between tasks): not the synthetic functions' 60.
    expect(own.perturbationInterval).not.toBe(60);
    const plan = async (flags: Partial<SimFlags>) => {
      const { plan, loaded } = await planAndLoad({ ...noIterations, benchmark: "lcbench/3945", ...flags });
      await loaded?.close();
      return plan;
    };
    expect(await plan({ scheduler: "pbt" })).toMatchObject({ maxIterations: 52, perturbationInterval: own.perturbationInterval });
    expect(await plan({ scheduler: "asha" })).toMatchObject({ maxIterations: 52, gracePeriod: 1 });
    expect(await plan({ scheduler: "pbt", maxIterations: "20", perturbationInterval: "7" })).toMatchObject({ maxIterations: 20, perturbationInterval: 7 });
    // More epochs than the data has: capped at 52, as before.
    expect((await plan({ maxIterations: "100" })).maxIterations).toBe(52);
    // A grace period past the task's 52 epochs is refused against the task's max, naming the flag.
    await expect(plan({ scheduler: "asha", gracePeriod: "60" })).rejects.toThrow(/^--grace-period: must be < max-t \(52, from --max-iterations\)/);
  });

  it("an unknown LCBench task is a one-line flag error listing the known ones", async () => {
    await expect(loadBenchmark({ benchmark: "lcbench/12" }, 52)).rejects.toThrow(OptionError);
    await expect(loadBenchmark({ benchmark: "lcbench/12" }, 52)).rejects.toThrow(/--benchmark: got unknown LCBench task "12"; known: lcbench\/3945, /);
  });

  it("--formula with --space (a JSON file or inline JSON) runs the formula", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunelab-formula-"));
    const file = join(dir, "space.json");
    writeFileSync(file, JSON.stringify({ x: { uniform: [-5, 5] }, lr: { loguniform: [1e-5, 1e-1] } }));
    const s = await simJson({ formula: "(x - 2)^2 + 10 * (log10(lr) + 3)^2", space: file, maxIterations: "10" });
    expect(s.benchmark).toBe("formula");
    expect(Object.keys((s.best as { config: object }).config)).toEqual(["x", "lr"]);
    const inline = await simJson({ formula: "(x - 1)^2", space: '{"x": {"uniform": [-3, 3]}}', maxIterations: "10" });
    expect((inline.best as { metric: number }).metric).toBeLessThan(3);
  });

  it("bad --formula / --space input: one line naming the flag or the symbol", async () => {
    await expect(loadBenchmark({ benchmark: "hartmann6", formula: "x" }, 10)).rejects.toThrow(/^--formula: needs --space/);
    await expect(loadBenchmark({ benchmark: "hartmann6", formula: "x", space: "/no/such.json" }, 10)).rejects.toThrow(/^--space: no such file/);
    await expect(loadBenchmark({ benchmark: "hartmann6", formula: "x", space: "{x: 1" }, 10)).rejects.toThrow(/^--space: is not JSON/);
    await expect(loadBenchmark({ benchmark: "hartmann6", formula: "x", space: '{"x": {"loguniform": [0, 1]}}' }, 10)).rejects.toThrow(/^space.x.loguniform\[0\]: must be > 0, got 0/);
    await expect(loadBenchmark({ benchmark: "hartmann6", formula: "x + y", space: '{"x": {"uniform": [0, 1]}}' }, 10)).rejects.toThrow(/^formula: symbol "y" is not a parameter/);
  });
});
