import { existsSync, readdirSync } from "node:fs";
import { from, type ColumnTable } from "arquero";
import { OptionError } from "../../core/contracts/index.ts";
import type { Config, Mode, Result } from "../../core/contracts/index.ts";
import { scopedValue, type Scope } from "../../core/summary.ts";
import {
  CONFIG_COLUMN_PREFIX,
  trialDir,
  type DecisionRecord,
  type ExperimentMeta,
  type ExploitRecord,
  type ResultRecord,
} from "../../core/experiment-dir/index.ts";
import { pbtLineage, type PbtLineage } from "./pbt-lineage.ts";

/** A trial's status as the directory tells it; "RUNNING" also covers a run that crashed. */
export type AnalysisStatus = "PENDING" | "RUNNING" | "PAUSED" | "TERMINATED" | "ERROR";

export interface AnalysisTrial {
  readonly id: string;
  readonly status: AnalysisStatus;
  /** The config it was created with (params.json). */
  readonly initialConfig: Config;
  /** The config of its last result (PBT changes it), else the initial one. */
  readonly config: Config;
  readonly results: readonly ResultRecord[];
  readonly iterations: number;
  readonly gpuSeconds: number;
  readonly cpuSeconds: number;
  readonly error: string;
  /** Checkpoint directories on disk, oldest first (real runs). */
  readonly checkpoints: readonly string[];
}

export interface BestOptions {
  /** @defaultValue the experiment's metric */
  metric?: string;
  /** @defaultValue the experiment's mode */
  mode?: Mode;
  /** @defaultValue "last" */
  scope?: Scope;
}

export interface LearningCurve {
  readonly trialId: string;
  /** How the trial ended, for colouring: "finished", "stopped at rung 2", "promoted, finished", "failed", "running"... */
  readonly ending: string;
  readonly points: ReadonlyArray<{ readonly iteration: number; readonly time: number; readonly value: number }>;
}

/** What `loadExperiment` returns: a finished, running or crashed experiment directory, read-only. */
export class ExperimentAnalysis {
  constructor(
    readonly dir: string,
    readonly meta: ExperimentMeta | undefined,
    readonly trials: readonly AnalysisTrial[],
    readonly decisions: readonly DecisionRecord[],
    readonly exploits: readonly ExploitRecord[],
  ) {}

  /** Whether the experiment ended normally (else it is running, or crashed). */
  get finished(): boolean {
    return this.meta?.endedAt !== undefined;
  }

  /** Metric names found in the results, in order of first appearance. */
  get metricNames(): string[] {
    const names = new Set<string>();
    for (const t of this.trials) for (const r of t.results) for (const k of Object.keys(r.metrics)) names.add(k);
    return [...names];
  }

  trial(id: string): AnalysisTrial {
    const t = this.trials.find((x) => x.id === id);
    if (!t) throw new OptionError("trialId", `no trial "${id}" in ${this.dir}`);
    return t;
  }

  /** Best trial under `scope` (ties: the earlier trial), or undefined when no result has the metric. */
  bestTrial(options: BestOptions = {}): AnalysisTrial | undefined {
    const { metric, mode } = this.objective(options);
    const scope = options.scope ?? "last";
    let best: AnalysisTrial | undefined;
    let bestValue = 0;
    for (const t of this.trials) {
      const value = scopedValue(asResults(t.results), metric, mode, scope);
      if (value === undefined) continue;
      if (!best || (mode === "max" ? value > bestValue : value < bestValue)) {
        best = t;
        bestValue = value;
      }
    }
    return best;
  }

  /** The best trial's value under `scope`. */
  bestValue(options: BestOptions = {}): number | undefined {
    const { metric, mode } = this.objective(options);
    const best = this.bestTrial(options);
    return best ? scopedValue(asResults(best.results), metric, mode, options.scope ?? "last") : undefined;
  }

  bestConfig(options: BestOptions = {}): Config | undefined {
    return this.bestTrial(options)?.config;
  }

  /** The best trial's latest checkpoint directory, or undefined (none saved, or a simulation). */
  bestCheckpoint(options: BestOptions = {}): string | undefined {
    return this.bestTrial(options)?.checkpoints.at(-1);
  }

  /**
   * Every result as an arquero table: trial_id, status, training_iteration, time,
   * time_total_s, done, one column per metric and `config/<key>` per hyperparameter
   * (the config in force for that result). Filter, group and aggregate with arquero:
   * `results().groupby("trial_id").rollup({ best: op.min("loss") })`.
   */
  results(): ColumnTable {
    const metrics = this.metricNames;
    const keys = this.configKeys();
    const rows: Record<string, unknown>[] = [];
    for (const t of this.trials) {
      for (const r of t.results) {
        const row: Record<string, unknown> = {
          trial_id: t.id,
          status: t.status,
          training_iteration: r.training_iteration,
          time: r.time,
          time_total_s: r.time_total_s,
          done: r.done,
        };
        for (const m of metrics) row[m] = r.metrics[m] ?? null;
        for (const k of keys) row[CONFIG_COLUMN_PREFIX + k] = r.config?.[k] ?? t.config[k] ?? null;
        rows.push(row);
      }
    }
    return from(rows);
  }

  /** One row per trial (as trials.csv): status, iterations, last and best metric, seconds, config. */
  trialTable(options: BestOptions = {}): ColumnTable {
    const { metric, mode } = this.objective(options);
    const keys = this.configKeys();
    return from(
      this.trials.map((t) => {
        const row: Record<string, unknown> = {
          trial_id: t.id,
          status: t.status,
          iterations: t.iterations,
          last_metric: scopedValue(asResults(t.results), metric, mode, "last") ?? null,
          best_metric: scopedValue(asResults(t.results), metric, mode, "all") ?? null,
          gpu_seconds: t.gpuSeconds,
          cpu_seconds: t.cpuSeconds,
          ending: this.endingOf(t),
        };
        for (const k of keys) row[CONFIG_COLUMN_PREFIX + k] = t.config[k] ?? null;
        return row;
      }),
    );
  }

  statusCounts(): Record<AnalysisStatus, number> {
    const counts: Record<AnalysisStatus, number> = { PENDING: 0, RUNNING: 0, PAUSED: 0, TERMINATED: 0, ERROR: 0 };
    for (const t of this.trials) counts[t.status]++;
    return counts;
  }

  /** Each trial's curve of `metric` (default: the experiment's) against iteration and time, with how it ended. */
  learningCurves(metric?: string): LearningCurve[] {
    const m = this.objective({ ...(metric !== undefined ? { metric } : {}) }).metric;
    return this.trials.map((t) => ({
      trialId: t.id,
      ending: this.endingOf(t),
      points: t.results
        .filter((r) => r.metrics[m] !== undefined)
        .map((r) => ({ iteration: r.training_iteration, time: r.time, value: r.metrics[m] as number })),
    }));
  }

  /** Best value so far against time and against GPU-hours spent by all trials (the experiment's progress curve). */
  bestSoFar(options: BestOptions = {}): Array<{ time: number; gpuHours: number; value: number }> {
    const { metric, mode } = this.objective(options);
    const events: Array<{ time: number; value: number | undefined; gpuSeconds: number }> = [];
    for (const t of this.trials) {
      const gpu = t.results.length > 0 && t.iterations > 0 ? t.gpuSeconds / Math.max(1, t.results.length) : 0;
      for (const r of t.results) events.push({ time: r.time, value: r.metrics[metric], gpuSeconds: gpu });
    }
    events.sort((a, b) => a.time - b.time);
    const out: Array<{ time: number; gpuHours: number; value: number }> = [];
    let best: number | undefined;
    let gpuSeconds = 0;
    for (const e of events) {
      gpuSeconds += e.gpuSeconds;
      if (e.value === undefined) continue;
      if (best === undefined || (mode === "max" ? e.value > best : e.value < best)) {
        best = e.value;
        out.push({ time: e.time, gpuHours: gpuSeconds / 3600, value: best });
      }
    }
    return out;
  }

  /** The exploit tree and each trial's hyperparameter schedule (PBT, PB2); empty edges for other schedulers. */
  pbtLineage(): PbtLineage {
    return pbtLineage(this.exploits, new Map(this.trials.map((t) => [t.id, t.initialConfig])));
  }

  /** How a trial ended, from its status and the scheduler's last decision about it. */
  endingOf(trial: AnalysisTrial): string {
    if (trial.status === "ERROR") return "failed";
    if (trial.status !== "TERMINATED") return trial.status.toLowerCase();
    const mine = this.decisions.filter((d) => d.trial_id === trial.id);
    const stop = mine.filter((d) => d.kind === "stop").at(-1);
    if (stop && stop.by === "scheduler") {
      const rung = /rung-(\d+)/.exec(stop.reason) ?? /rung (\d+)/.exec(stop.reason);
      if (rung) return `stopped at rung ${rung[1]}`;
      const milestone = /milestone (\S+)/.exec(stop.reason);
      if (milestone) return `stopped at milestone ${milestone[1]}`;
      return "stopped early";
    }
    return mine.some((d) => d.kind === "promote") ? "promoted, finished" : "finished";
  }

  private configKeys(): string[] {
    const keys = new Set<string>();
    for (const t of this.trials) for (const k of Object.keys(t.config)) keys.add(k);
    return [...keys];
  }

  private objective(options: BestOptions): { metric: string; mode: Mode } {
    const metric = options.metric ?? this.meta?.metric;
    const mode = options.mode ?? this.meta?.mode;
    if (metric === undefined) throw new OptionError("metric", `${this.dir} has no experiment.json: give the metric`);
    if (mode === undefined) throw new OptionError("mode", `${this.dir} has no experiment.json: give the mode ("min" or "max")`);
    if (mode !== "min" && mode !== "max") throw new OptionError("mode", `must be "min" or "max", got ${JSON.stringify(mode)}`);
    const names = this.metricNames;
    if (names.length > 0 && !names.includes(metric)) {
      throw new OptionError("metric", `"${metric}" is not in the results of ${this.dir} (found: ${names.join(", ")})`);
    }
    return { metric, mode };
  }
}

function asResults(records: readonly ResultRecord[]): Result[] {
  return records.map((r) => ({ trialId: r.trial_id, iteration: r.training_iteration, metrics: r.metrics, time: r.time, timeTotal: r.time_total_s, done: r.done }));
}

/** Checkpoint directories of a trial, oldest first (the names sort by iteration). */
export function checkpointDirs(dir: string, trialId: string): string[] {
  const path = trialDir(dir, trialId);
  if (!existsSync(path)) return [];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith("checkpoint_") && !e.name.endsWith(".tmp"))
    .map((e) => `${path}/${e.name}`)
    .sort();
}
