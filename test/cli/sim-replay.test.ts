import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tunelabInProcess } from "../_helpers/tunelab-in-process.ts";
import { loadBenchmark } from "../../cli/load-benchmark.ts";
import { MAX_ITERATIONS, recordLive } from "../results/replay/record.ts";

let dir = "";
let liveBest = 0;
beforeAll(async () => {
  const recorded = await recordLive("fifo", 4, 5);
  dir = recorded.dir;
  liveBest = recorded.run.best!.metric;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tunelab sim --replay", () => {
  it("replays a recorded experiment under another scheduler", async () => {
    const r = await tunelabInProcess(["sim", "--replay", dir, "--scheduler", "asha", "--trials", "6", "--gpus", "2", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ benchmark: "replay", scheduler: "asha", metric: "mean_return", mode: "max", trials: 6 });
    // Every answer comes from a recorded curve: nothing can beat the recording's best final value.
    expect(s.best.metric).toBeLessThanOrEqual(liveBest + 1e-9);
    expect(s.regret).toBeGreaterThanOrEqual(0);
  });

  it("a missing directory is a one-line error, exit 2", async () => {
    const missing = await tunelabInProcess(["sim", "--replay", "/nonexistent/recording"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('tunelab: dir: "/nonexistent/recording" does not exist');
  });

  it("--replay with --formula is refused, naming --replay", async () => {
    await expect(loadBenchmark({ benchmark: "hartmann6", replay: dir, formula: "x^2" }, 10)).rejects.toThrow("--replay: replays a recording instead of --formula; give one of them");
  });

  it("replays up to the longest recorded curve, with the recording's best as the optimum", async () => {
    const loaded = await loadBenchmark({ benchmark: "hartmann6", replay: dir }, 100);
    expect(loaded.maxIterations).toBe(MAX_ITERATIONS);
    expect(loaded.benchmark).toMatchObject({ name: "replay", metric: "mean_return", mode: "max" });
    expect(loaded.benchmark.optimum).toBeLessThanOrEqual(liveBest);
    expect(Object.keys(loaded.benchmark.space).sort()).toEqual(["batch_episodes", "entropy_coeff", "gamma", "lr"]);
  });
});
