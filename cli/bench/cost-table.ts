import { isFinishedCell, type CellRecord } from "../../benchmarks/suites/cell-record.ts";
import { fmt, formatTable } from "../../benchmarks/stats/index.ts";

export interface MethodCost {
  readonly method: string;
  readonly cells: number;
  /** Seconds of the cells' threads (each cell's own wall time, its surrogate calls included). */
  readonly cellSeconds: number;
  /** This method's part of all cells' seconds: its share of the grid's CPU when the threads are kept busy. */
  readonly share: number;
  /** Seconds inside the surrogate model (LCBench), and rows it predicted. */
  readonly surrogateSeconds: number;
  readonly surrogateRows: number;
  /** CPU-seconds per cell, from cells that ran alone (`--threads 0`: see CellBase.cpuSeconds); undefined when none did. */
  readonly cpuPerCell?: number;
}

/**
 * Where a grid's time went, per method, from the cells' own records (finished cells only,
 * old and new): a thread runs one cell at a time, so the cells' seconds split the threads'
 * busy time, and with `cpuSeconds` of the whole process the CPU-seconds of each method.
 */
export function methodCosts(records: readonly CellRecord[], methods: readonly string[]): MethodCost[] {
  const finished = records.filter((r) => r?.ok);
  const total = finished.reduce((sum, r) => sum + r.wallSeconds, 0);
  return methods.map((method) => {
    const own = finished.filter((r) => r.method === method);
    const cellSeconds = own.reduce((sum, r) => sum + r.wallSeconds, 0);
    const measured = own.filter((r) => r.cpuSeconds !== undefined);
    return {
      method,
      cells: own.length,
      cellSeconds,
      share: total > 0 ? cellSeconds / total : 0,
      surrogateSeconds: own.reduce((sum, r) => sum + (isFinishedCell(r) ? (r.surrogate?.seconds ?? 0) : 0), 0),
      surrogateRows: own.reduce((sum, r) => sum + (isFinishedCell(r) ? (r.surrogate?.rows ?? 0) : 0), 0),
      ...(measured.length > 0 ? { cpuPerCell: measured.reduce((sum, r) => sum + (r.cpuSeconds as number), 0) / measured.length } : {}),
    };
  });
}

/** The cost table `tunelab bench` prints; CPU-seconds per method when the run's process CPU is known (cells computed by this run only). */
export function formatCosts(costs: readonly MethodCost[], cpuSeconds?: number): string {
  const total = costs.reduce((sum, c) => sum + c.cellSeconds, 0);
  const surrogate = costs.reduce((sum, c) => sum + c.surrogateSeconds, 0);
  const rows = costs.reduce((sum, c) => sum + c.surrogateRows, 0);
  const measured = costs.some((c) => c.cpuPerCell !== undefined);
  const header = ["method", "cells", "cell s", "share", ...(cpuSeconds !== undefined ? ["CPU s (est.)"] : []), ...(measured ? ["CPU s/cell"] : []), "surrogate s", "surrogate share", "rows/s", "rows/cell"];
  const body = costs.map((c) => [
    c.method,
    String(c.cells),
    fmt(c.cellSeconds),
    fmt(c.share, 3),
    ...(cpuSeconds !== undefined ? [fmt(c.share * cpuSeconds)] : []),
    ...(measured ? [c.cpuPerCell !== undefined ? fmt(c.cpuPerCell, 3) : "-"] : []),
    fmt(c.surrogateSeconds),
    c.cellSeconds > 0 && c.surrogateRows > 0 ? fmt(c.surrogateSeconds / c.cellSeconds, 3) : "-",
    c.surrogateSeconds > 0 ? fmt(c.surrogateRows / c.surrogateSeconds) : "-",
    c.cells > 0 && c.surrogateRows > 0 ? fmt(c.surrogateRows / c.cells) : "-",
  ]);
  const summary =
    rows > 0 ? `\nSurrogate: ${rows} rows in ${fmt(surrogate)} s (${fmt(rows / Math.max(1e-9, surrogate))} rows/s), ${fmt(surrogate / Math.max(1e-9, total), 3)} of the cells' time.\n` : "";
  return "Cost per method (the cells' own seconds; a loaded machine inflates seconds, not shares)\n" + formatTable(header, body) + summary;
}
