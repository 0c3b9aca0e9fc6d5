import { writeFileSync } from "node:fs";
import { OptionError } from "../../core/contracts/index.ts";
import { fmt } from "../../benchmarks/stats/index.ts";
import { buildComparisonReport, loadExperiment, reportHtml, type Report } from "../../results/index.ts";
import { bestSoFarBands, finalBestRows, methodSummaries, type MethodRuns } from "./comparison-data.ts";

/** A method and its runs' experiment directories, one per seed. */
export interface MethodDirs {
  readonly method: string;
  readonly dirs: readonly string[];
}

const INTERVAL = "bootstrap 95% interval of the median";

/**
 * The report of `tunelab compare --report`: loads every run's experiment directory and draws
 * each method's best so far (median over seeds, with an interval) against time and
 * GPU-hours, each seed's final best, and a table with a rank test against the leader.
 */
export async function comparisonReport(methods: readonly MethodDirs[], title = "TuneLab comparison"): Promise<Report> {
  if (methods.length === 0) throw new OptionError("methods", "give at least one method to compare");
  const runs: MethodRuns[] = methods.map((m) => {
    if (m.dirs.length === 0) throw new OptionError("methods", `method ${m.method} has no experiment directory`);
    return { method: m.method, runs: m.dirs.map((dir) => loadExperiment(dir)) };
  });
  const meta = runs[0]?.runs[0]?.meta;
  if (meta === undefined) throw new OptionError("dir", `${methods[0]?.dirs[0]} has no experiment.json: the report needs the metric and mode`);
  const summaries = methodSummaries(runs, meta.mode);
  const simulated = runs.every((m) => m.runs.every((r) => r.meta?.kind === "simulation"));
  return buildComparisonReport({
    title,
    metric: meta.metric,
    timeTitle: simulated ? "simulated seconds" : "wall seconds",
    interval: INTERVAL,
    bandsByTime: bestSoFarBands(runs, "time"),
    bandsByGpuHours: bestSoFarBands(runs, "gpuHours"),
    finals: finalBestRows(runs),
    table: {
      caption: `Final best ${meta.metric} (${meta.mode}) per method: median over seeds with its ${INTERVAL}; p: two-sided Mann-Whitney U against the method with the best median, Holm-adjusted over the comparisons.`,
      headers: ["method", "seeds", `median best ${meta.metric}`, "95% interval", "trials (median)", "GPU-hours (median)", "p vs best"],
      rows: summaries.map((s) => [
        s.method,
        String(s.seeds),
        s.best ? fmt(s.best.median) : "-",
        s.best ? `${fmt(s.best.low)} .. ${fmt(s.best.high)}` : "-",
        fmt(s.trials),
        fmt(s.gpuHours),
        s.pVsBest === undefined ? (s.best ? "best" : "-") : fmt(s.pVsBest),
      ]),
    },
  });
}

/** Writes the comparison as one self-contained HTML file; returns its path. */
export async function writeComparisonReport(methods: readonly MethodDirs[], file: string, title?: string): Promise<string> {
  writeFileSync(file, reportHtml(await comparisonReport(methods, title)));
  return file;
}
