import { readdirSync, statSync } from "node:fs";
import { OptionError } from "../../core/contracts/index.ts";
import type { Config } from "../../core/contracts/index.ts";
import {
  CONFIG_COLUMN_PREFIX,
  DECISIONS_FILE,
  effectiveResults,
  EXPERIMENT_META_FILE,
  experimentFile,
  PARAMS_FILE,
  RESULT_FILE,
  TRIAL_DIR_PATTERN,
  trialFile,
  TRIALS_CSV,
  type DecisionRecord,
  type DecisionsLine,
  type ExperimentMeta,
  type ExploitRecord,
  type ResultLine,
  type ResultRecord,
  type TrialParams,
} from "../../core/experiment-dir/index.ts";
import { checkpointDirs, ExperimentAnalysis, type AnalysisStatus, type AnalysisTrial } from "./experiment-analysis.ts";
import { readCsvTable, readJsonFile, readJsonLines } from "./read-files.ts";

const STATUSES = new Set<string>(["PENDING", "RUNNING", "PAUSED", "TERMINATED", "ERROR"]);

/**
 * Opens an experiment directory written by `tune()` or `simulate({ storagePath })`
 * / `tunelab sim --out`: finished, still running, or crashed (a torn last line
 * is ignored; trials missing from trials.csv count as RUNNING).
 */
export function loadExperiment(dir: string): ExperimentAnalysis {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new OptionError("dir", `"${dir}" is not a directory`);
    entries = readdirSync(dir);
  } catch (error) {
    if (error instanceof OptionError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new OptionError("dir", code === "ENOENT" ? `"${dir}" does not exist` : `"${dir}" cannot be read (${code ?? (error as Error).message})`);
  }
  const meta = readJsonFile<ExperimentMeta>(experimentFile(dir, EXPERIMENT_META_FILE));
  const trialIds = entries.filter((name) => TRIAL_DIR_PATTERN.test(name)).sort();
  if (!meta && trialIds.length === 0) {
    throw new OptionError("dir", `"${dir}" holds no experiment (no ${EXPERIMENT_META_FILE} and no trial directories)`);
  }
  const table = readCsvTable(experimentFile(dir, TRIALS_CSV));
  const rows = new Map<string, Record<string, unknown>>();
  if (table) for (const row of table.objects() as Record<string, unknown>[]) rows.set(String(row["trial_id"]), row);

  const trials: AnalysisTrial[] = trialIds.map((id) => {
    const params = readJsonFile<TrialParams>(trialFile(dir, id, PARAMS_FILE));
    // Restart markers drop the results a restart re-did: each iteration shows once.
    const results = effectiveResults(readJsonLines<ResultLine>(trialFile(dir, id, RESULT_FILE)));
    const row = rows.get(id);
    const initialConfig: Config = params?.config ?? results[0]?.config ?? {};
    const config = results.at(-1)?.config ?? configFromRow(row) ?? initialConfig;
    const status = row && STATUSES.has(String(row["status"])) ? (String(row["status"]) as AnalysisStatus) : "RUNNING";
    return {
      id,
      status,
      initialConfig,
      config,
      results,
      iterations: results.at(-1)?.training_iteration ?? 0,
      gpuSeconds: numberOr(row?.["gpu_seconds"], secondsOf(results) * (params?.resources.gpu ?? 0)),
      cpuSeconds: numberOr(row?.["cpu_seconds"], secondsOf(results) * (params?.resources.cpu ?? 1)),
      error: row?.["error"] === undefined || row["error"] === null ? "" : String(row["error"]),
      checkpoints: checkpointDirs(dir, id),
    };
  });
  const lines = readJsonLines<DecisionsLine>(experimentFile(dir, DECISIONS_FILE));
  const decisions = lines.filter((l): l is DecisionRecord => l.type === "decision");
  const exploits = lines.filter((l): l is ExploitRecord => l.type === "exploit");
  return new ExperimentAnalysis(dir, meta, trials, decisions, exploits);
}

function configFromRow(row: Record<string, unknown> | undefined): Config | undefined {
  if (!row) return undefined;
  const config: Config = {};
  for (const [k, v] of Object.entries(row)) if (k.startsWith(CONFIG_COLUMN_PREFIX)) config[k.slice(CONFIG_COLUMN_PREFIX.length)] = v as never;
  return config;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

/** Training seconds from the results alone (a crashed run without trials.csv): steps' time_total_s increments. */
export function secondsOf(results: ReadonlyArray<Pick<ResultRecord, "time_total_s">>): number {
  let total = 0;
  let previous = 0;
  for (const r of results) {
    total += Math.max(0, r.time_total_s - previous);
    previous = r.time_total_s;
  }
  return total;
}
