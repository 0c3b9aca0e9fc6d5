import { describe, expect, it } from "vitest";
import type { CellRecord } from "../../../benchmarks/suites/cell-record.ts";
import { formatCosts, methodCosts } from "../../../cli/bench/cost-table.ts";

const cell = (method: string, wallSeconds: number, surrogate?: { calls: number; rows: number; seconds: number }): CellRecord => ({
  suite: "s",
  method,
  benchmark: "b",
  seed: 0,
  key: `s|${method}|b|0`,
  ok: true,
  curve: [],
  finalRegret: 0,
  simulatedSeconds: 1,
  gpuSeconds: 1,
  trainingGpuSeconds: 1,
  trials: 1,
  results: 1,
  wallSeconds,
  ...(surrogate ? { surrogate } : {}),
});

describe("methodCosts", () => {
  it("splits the cells' seconds by method and counts the surrogate's rows and seconds; failed cells cost nothing", () => {
    const records: CellRecord[] = [
      cell("gp:fifo", 6, { calls: 2, rows: 104, seconds: 1 }),
      cell("gp:fifo", 3, { calls: 1, rows: 52, seconds: 0.5 }),
      cell("random:fifo", 1, { calls: 2, rows: 104, seconds: 0.5 }),
      { suite: "s", method: "random:fifo", benchmark: "c", seed: 0, key: "k", ok: false, error: "x", wallSeconds: 50 },
    ];
    const [gp, random] = methodCosts(records, ["gp:fifo", "random:fifo"]);
    expect(gp).toEqual({ method: "gp:fifo", cells: 2, cellSeconds: 9, share: 0.9, surrogateSeconds: 1.5, surrogateRows: 156 });
    expect(random).toEqual({ method: "random:fifo", cells: 1, cellSeconds: 1, share: 0.1, surrogateSeconds: 0.5, surrogateRows: 104 });
    const text = formatCosts([gp!, random!], 20);
    // CPU-seconds per method: the process's 20 s split by the shares.
    expect(text).toMatch(/gp:fifo\s+2\s+9\s+0\.9\s+18\s+1\.5\s+0\.167\s+104/);
    expect(text).toContain("Surrogate: 260 rows in 2 s (130 rows/s), 0.2 of the cells' time.");
    expect(formatCosts([gp!, random!])).not.toContain("CPU s");
  });

  it("gives CPU-seconds per cell from cells that ran alone, and rows per cell", () => {
    const alone = (method: string, cpuSeconds: number): CellRecord => ({ ...cell(method, 10, { calls: 1, rows: 52, seconds: 1 }), cpuSeconds });
    const [gp, random] = methodCosts([alone("gp:fifo", 3), alone("gp:fifo", 5), cell("random:fifo", 1)], ["gp:fifo", "random:fifo"]);
    expect(gp?.cpuPerCell).toBe(4);
    expect(random?.cpuPerCell).toBeUndefined();
    const text = formatCosts([gp!, random!]);
    expect(text).toMatch(/CPU s\/cell .* rows\/cell/);
    expect(text).toMatch(/gp:fifo\s+2\s+20\s+[\d.]+\s+4\s+2\s+0\.1\s+52\s+52/);
    expect(text).toMatch(/random:fifo\s+1\s+1\s+[\d.]+\s+-\s/);
  });
});
