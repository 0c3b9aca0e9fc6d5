import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import { isFinishedCell, registerSuite, type CellRecord, type SuiteDefinition } from "../../../benchmarks/suites/index.ts";
import { gridCells, runGrid } from "../../../cli/bench/run-grid.ts";

const tiny: SuiteDefinition = {
  name: "test-tiny",
  description: "two cheap benchmarks, one unregistered",
  benchmarks: ["branin", "nope/3945"],
  gpus: 4,
  budget: { seconds: 60 },
  seeds: 2,
  methods: ["random:fifo", "random:asha"],
  targetRegret: 0.1,
  maxIterations: 10,
};
registerSuite(tiny);

describe("runGrid", () => {
  it("lays out methods x benchmarks x seeds", () => {
    const cells = gridCells(tiny, tiny.methods, 2);
    expect(cells).toHaveLength(2 * 2 * 2);
    expect(new Set(cells.map((c) => `${c.method}|${c.benchmark}|${c.seed}`)).size).toBe(8);
    expect(() => gridCells(tiny, [], 1)).toThrow("methods: must name at least one searcher:scheduler pair");
  });

  it("records every cell as one JSON line, a failed cell as an error, and never recomputes a finished one", async () => {
    const out = mkdtempSync(join(tmpdir(), "tunelab-bench-"));
    const lines: string[] = [];
    const progressStream = { isTTY: false, write: (chunk: string) => lines.push(chunk) };
    const first = await runGrid({ suite: tiny, methods: tiny.methods, seeds: 2, out, threads: 0, progress: true, progressStream });
    expect(first.computed).toBe(8);
    const ok = first.records.filter((r) => r.ok);
    const failed = first.records.filter((r) => !r.ok);
    expect(ok).toHaveLength(4);
    expect(failed).toHaveLength(4);
    for (const f of failed) expect(f.ok === false && f.error).toMatch(/benchmark: unknown name "nope\/3945" \(no "nope\/\.\.\." benchmark is registered/);
    for (const r of ok) {
      if (!isFinishedCell(r)) continue;
      // The budget held: every run ended within a step of 60 simulated seconds, with its curve inside it.
      expect(r.simulatedSeconds).toBeGreaterThanOrEqual(60);
      expect(r.simulatedSeconds).toBeLessThan(64);
      expect(r.curve.length).toBeGreaterThan(0);
      expect(r.curve.every(([t]) => t <= r.simulatedSeconds * (1 + 1e-5))).toBe(true);
    }
    expect(readFileSync(join(out, "cells.jsonl"), "utf8").trim().split("\n")).toHaveLength(8);
    expect(lines.at(-1)).toMatch(/^bench test-tiny: 8\/8 cells, 4 failed, [\d.]+ cells\/s, \S+ elapsed\n$/);

    // A rerun computes only the failed cells again; finished ones are read back as they were.
    const second = await runGrid({ suite: tiny, methods: tiny.methods, seeds: 2, out, threads: 0, progress: false });
    expect(second.computed).toBe(4);
    expect(second.records.filter((r) => r.ok)).toEqual(ok);
  });

  it("runs cells on worker threads (TypeScript through tsx's loader) with the same results as in-thread", async () => {
    const suite = { ...tiny, benchmarks: ["branin"] };
    const pooled = await runGrid({ suite, methods: ["random:asha"], seeds: 1, out: mkdtempSync(join(tmpdir(), "tunelab-bench-")), threads: 1, progress: false });
    const inline = await runGrid({ suite, methods: ["random:asha"], seeds: 1, out: mkdtempSync(join(tmpdir(), "tunelab-bench-")), threads: 0, progress: false });
    // Only a cell that ran alone (threads 0) has its own CPU-seconds.
    expect(inline.records[0]?.cpuSeconds).toBeGreaterThan(0);
    expect(pooled.records[0]?.cpuSeconds).toBeUndefined();
    const strip = (r: CellRecord) => ({ ...r, wallSeconds: 0, cpuSeconds: 0 });
    expect(pooled.records.map(strip)).toEqual(inline.records.map(strip));
    expect(pooled.records[0]?.ok).toBe(true);
  }, 30_000);

  it("runs LCBench (the registry's lazy family) and a --import TypeScript module's benchmark on the pool, as in-thread", async () => {
    const { budget: _budget, ...equalTrials } = tiny;
    const suite: SuiteDefinition = { ...equalTrials, name: "test-lcbench", benchmarks: ["lcbench/3945", "fixture/branin"], trials: 6, gpus: 2 };
    const modules = [pathToFileURL(join(import.meta.dirname, "fixtures/register-benchmark.ts")).href];
    const run = (threads: number) => runGrid({ suite, methods: ["random:asha"], seeds: 1, out: mkdtempSync(join(tmpdir(), "tunelab-bench-")), threads, modules, progress: false });
    const pooled = await run(1);
    expect(pooled.records.map((r) => (r.ok ? "ok" : r.error))).toEqual(["ok", "ok"]);
    const [lcbench] = pooled.records;
    if (!lcbench || !isFinishedCell(lcbench)) throw new Error("unreachable");
    expect(lcbench.trials).toBe(6);
    // Regret is normalised by YAHPO's range of the task: inside [0, 1] for a surrogate prediction.
    expect(lcbench.finalRegret).toBeGreaterThanOrEqual(0);
    expect(lcbench.finalRegret).toBeLessThan(1);
    // ASHA stops trials early: each configuration's first call is 8 rows (epochs 1-4 and 49-52), more only as it is promoted.
    expect(lcbench.surrogate?.calls).toBeGreaterThanOrEqual(6);
    expect(lcbench.surrogate?.rows).toBeGreaterThanOrEqual(6 * 8);
    expect(lcbench.surrogate?.rows).toBeLessThanOrEqual(6 * 52);
    const strip = (r: CellRecord) => ({ ...r, wallSeconds: 0, cpuSeconds: 0, ...(isFinishedCell(r) && r.surrogate ? { surrogate: { ...r.surrogate, seconds: 0 } } : {}) });
    expect(pooled.records.map(strip)).toEqual((await run(0)).records.map(strip));
  }, 60_000);

  it("a cell that hangs its thread is recorded failed after the cell timeout, its thread replaced, and the rest of its group still runs", async () => {
    const { budget: _budget, ...equalTrials } = tiny;
    const suite: SuiteDefinition = { ...equalTrials, name: "test-hang", benchmarks: ["fixture/hang-once", "branin"], trials: 4, gpus: 2 };
    const dir = mkdtempSync(join(tmpdir(), "tunelab-bench-"));
    const marker = join(dir, "hung");
    process.env.TUNELAB_TEST_HANG_MARKER = marker;
    try {
      const modules = [pathToFileURL(join(import.meta.dirname, "fixtures/register-hanging-benchmark.ts")).href];
      // One thread: the branin group can only run if the hung thread was replaced.
      const run = await runGrid({ suite, methods: ["random:fifo", "random:asha"], seeds: 1, out: join(dir, "out"), threads: 1, modules, progress: false, cellTimeoutSeconds: 3 });
      expect(existsSync(marker)).toBe(true);
      expect(run.records.map((r) => `${r.benchmark} ${r.method} ${r.ok ? "ok" : r.error}`)).toEqual([
        "fixture/hang-once random:fifo timed out: ran over 3 s of wall time (its thread was stopped)",
        "fixture/hang-once random:asha ok",
        "branin random:fifo ok",
        "branin random:asha ok",
      ]);
      // The failed cell is a recorded line like any other, so a rerun computes it again.
      expect(readFileSync(join(dir, "out", "cells.jsonl"), "utf8").trim().split("\n")).toHaveLength(4);
    } finally {
      delete process.env.TUNELAB_TEST_HANG_MARKER;
    }
  }, 60_000);

  it("refuses a cell timeout that is not a positive number", async () => {
    await expect(runGrid({ suite: tiny, methods: tiny.methods, seeds: 1, out: mkdtempSync(join(tmpdir(), "tunelab-bench-")), threads: 1, cellTimeoutSeconds: 0 })).rejects.toThrow(
      "cellTimeoutSeconds: must be a number > 0, got 0",
    );
  });
});
