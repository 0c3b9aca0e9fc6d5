import { desc } from "arquero";
import { OptionError } from "../core/contracts/index.ts";
import type { Mode } from "../core/contracts/index.ts";
import { loadExperiment, type ExperimentAnalysis } from "../results/index.ts";
import { parseInteger, parseName } from "./flags.ts";
import { fmt, formatTable } from "../benchmarks/stats/index.ts";

export interface AnalyzeFlags {
  metric?: string;
  mode?: string;
  top: string;
  json?: boolean;
}

/** `tunelab analyze DIR`: the best trials and the status counts of an experiment directory. */
export function analyzeCommand(dir: string, flags: AnalyzeFlags): void {
  const analysis = loadExperiment(dir);
  const mode = flags.mode === undefined ? undefined : parseName<Mode>("--mode", flags.mode, ["min", "max"]);
  if (flags.mode !== undefined && flags.metric === undefined && analysis.meta === undefined) {
    throw new OptionError("--metric", "is needed with --mode when the directory has no experiment.json");
  }
  const top = parseInteger("--top", flags.top, 1);
  const options = { ...(flags.metric !== undefined ? { metric: flags.metric } : {}), ...(mode !== undefined ? { mode } : {}) };
  const report = analyzeReport(analysis, options, top);
  if (flags.json) {
    process.stdout.write(JSON.stringify(report) + "\n");
    return;
  }
  process.stdout.write(formatReport(report));
}

export interface AnalyzeReport {
  dir: string;
  metric: string;
  mode: Mode;
  finished: boolean;
  trials: number;
  statusCounts: Record<string, number>;
  best: Array<{ trialId: string; status: string; ending: string; metric: number | null; iterations: number; config: Record<string, unknown> }>;
}

export function analyzeReport(analysis: ExperimentAnalysis, options: { metric?: string; mode?: Mode }, top: number): AnalyzeReport {
  const metric = options.metric ?? analysis.meta?.metric;
  const mode = options.mode ?? analysis.meta?.mode;
  if (metric === undefined) throw new OptionError("--metric", `is needed: ${analysis.dir} has no experiment.json`);
  if (mode === undefined) throw new OptionError("--mode", `is needed: ${analysis.dir} has no experiment.json`);
  // Ranks by each trial's last value, like bestTrial's default scope.
  const ranked = analysis
    .trialTable({ metric, mode })
    .filter("d => d.last_metric != null")
    .orderby(mode === "max" ? desc("last_metric") : "last_metric")
    .slice(0, top)
    .objects() as Array<Record<string, unknown>>;
  return {
    dir: analysis.dir,
    metric,
    mode,
    finished: analysis.finished,
    trials: analysis.trials.length,
    statusCounts: analysis.statusCounts(),
    best: ranked.map((row) => {
      const trial = analysis.trial(String(row["trial_id"]));
      return {
        trialId: trial.id,
        status: trial.status,
        ending: String(row["ending"]),
        metric: row["last_metric"] as number | null,
        iterations: trial.iterations,
        config: trial.config,
      };
    }),
  };
}

function formatReport(r: AnalyzeReport): string {
  const counts = Object.entries(r.statusCounts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(", ");
  const keys = [...new Set(r.best.flatMap((b) => Object.keys(b.config)))];
  const header = ["trial", r.metric, "iterations", "ending", ...keys];
  const rows = r.best.map((b) => [b.trialId, fmt(b.metric), String(b.iterations), b.ending, ...keys.map((k) => cell(b.config[k]))]);
  return (
    `${r.dir}: ${r.trials} trials (${counts})${r.finished ? "" : ", not finished (running or crashed)"}\n` +
    `best by last ${r.metric} (${r.mode}):\n` +
    formatTable(header, rows)
  );
}

function cell(v: unknown): string {
  return typeof v === "number" ? fmt(v) : JSON.stringify(v) ?? "-";
}
