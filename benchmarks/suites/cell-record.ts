/** What the runner writes: one JSON line per cell of a suite's grid. */
import type { PaperCheckOutcome } from "../papers/paper-check.ts";

/** One cell of a suite's grid: a method on a benchmark with a seed. */
export interface CellSpec {
  readonly suite: string;
  /** `searcher:scheduler`. */
  readonly method: string;
  readonly benchmark: string;
  readonly seed: number;
}

/** [simulated seconds, GPU-seconds of training steps so far, normalised regret of the incumbent] at each improvement. */
export type CurvePoint = [number, number, number];

export interface CellBase extends CellSpec {
  readonly key: string;
  readonly wallSeconds: number;
  /**
   * CPU-seconds (user + system) of the whole process while the cell ran, its surrogate
   * thread included: recorded only where the cell ran alone (`--threads 0`), where that
   * is the cell's own cost, unlike its wall seconds on a loaded machine.
   */
  readonly cpuSeconds?: number;
}

export interface FinishedCell extends CellBase {
  readonly ok: true;
  /** The incumbent's normalised regret each time it improved, time order. */
  readonly curve: CurvePoint[];
  readonly finalRegret: number;
  readonly simulatedSeconds: number;
  /** GPU-seconds held by trials (start-up included), from the simulator. */
  readonly gpuSeconds: number;
  /** GPU-seconds of training steps (the curve's second axis). */
  readonly trainingGpuSeconds: number;
  readonly trials: number;
  readonly results: number;
  /** The surrogate model's work in this cell (LCBench): calls, rows, and wall seconds inside it. */
  readonly surrogate?: { calls: number; rows: number; seconds: number };
}

export interface FailedCell extends CellBase {
  readonly ok: false;
  readonly error: string;
}

/** A paper-check group's cell: each check's paper number, ours, and pass or fail (`ok` says it ran, not that it passed). */
export interface PaperCheckCell extends CellBase {
  readonly ok: true;
  readonly checks: PaperCheckOutcome[];
  /** Seeds the statistical checks used: a rerun with other seeds computes the cell again. */
  readonly checkSeeds: number;
}

/** One JSON line of the runner's output file. */
export type CellRecord = FinishedCell | PaperCheckCell | FailedCell;

/** A finished cell of a simulated suite (the anytime curve), not a paper check's. */
export function isFinishedCell(record: CellRecord): record is FinishedCell {
  return record.ok && !("checks" in record);
}

export function cellKey(spec: CellSpec): string {
  return `${spec.suite}|${spec.method}|${spec.benchmark}|${spec.seed}`;
}
