import { join } from "node:path";
import type { Config, Mode, Result, TrialStatus, TrialView } from "../contracts/index.ts";

/**
 * The experiment directory, in one place: every path and record format that
 * loggers write and `loadExperiment` reads (the durability work reuses it).
 *
 *   <dir>/experiment.json          ExperimentMeta: metric, mode, kind, started/ended
 *   <dir>/experiment_state.json    the loop's saved state (owned by resume)
 *   <dir>/trials.csv               one row per trial (TRIAL_TABLE_COLUMNS + config/<key>)
 *   <dir>/decisions.jsonl          DecisionRecord | ExploitRecord, one per line
 *   <dir>/trace.jsonl              the simulator's event trace (simulations only)
 *   <dir>/<trial>/params.json      the trial's first config (TrialParams)
 *   <dir>/experiment_state.trials.<gen>.jsonl  the state's trial journal (durable-state.ts)
 *   <dir>/<trial>/result.jsonl     ResultRecord, one per result, appended as it arrives;
 *                                  a RestartRecord marks a restart: the results after its
 *                                  `kept` first ones are re-done by the lines that follow
 *   <dir>/<trial>/progress.csv     the same results flattened (union of columns)
 *   <dir>/<trial>/checkpoint_<iteration, 6 digits>/   checkpoints (real backend)
 */
export const LAYOUT_VERSION = 1;
export const EXPERIMENT_META_FILE = "experiment.json";
export const EXPERIMENT_STATE_FILE = "experiment_state.json";
export const TRIALS_CSV = "trials.csv";
export const DECISIONS_FILE = "decisions.jsonl";
export const TRACE_FILE = "trace.jsonl";
export const PARAMS_FILE = "params.json";
export const RESULT_FILE = "result.jsonl";
export const PROGRESS_CSV = "progress.csv";

export const experimentFile = (dir: string, name: string): string => join(dir, name);
export const trialDir = (dir: string, trialId: string): string => join(dir, trialId);
export const trialFile = (dir: string, trialId: string, name: string): string => join(dir, trialId, name);
export const checkpointDirName = (iteration: number): string => `checkpoint_${String(iteration).padStart(6, "0")}`;
/** Trial directories are named by trial id (`t00000`). */
export const TRIAL_DIR_PATTERN = /^t\d{5,}$/;

export interface ExperimentMeta {
  readonly layoutVersion: number;
  readonly name: string;
  /** "simulation": times are simulated seconds; "real": wall seconds since the start. */
  readonly kind: "simulation" | "real";
  readonly metric: string;
  readonly mode: Mode;
  readonly maxTrials: number | null;
  readonly resources: { readonly cpu: number; readonly gpu: number };
  readonly startedAt: string;
  /** Set when the experiment ended normally; absent while running or after a crash. */
  readonly endedAt?: string;
  readonly endTime?: number;
}

export interface TrialParams {
  readonly trial_id: string;
  readonly config: Config;
  readonly resources: { readonly cpu: number; readonly gpu: number };
}

/** One line of result.jsonl. Names follow Ray Tune's result.json where one exists. */
export interface ResultRecord {
  readonly trial_id: string;
  readonly training_iteration: number;
  /** Loop clock when the result arrived (simulated or wall seconds since the start). */
  readonly time: number;
  readonly time_total_s: number;
  readonly done: boolean;
  readonly metrics: Record<string, number>;
  /** The config the trial ran under for this result (PBT changes it). */
  readonly config: Config;
}

/** params.json's text for a trial: written when it starts, and rebuilt from the journal by a resume's repair. */
export function trialParamsText(trial: Pick<TrialView, "id" | "config" | "resources">): string {
  const params: TrialParams = { trial_id: trial.id, config: trial.config, resources: { cpu: trial.resources.cpu, gpu: trial.resources.gpu } };
  return JSON.stringify(params, null, 2) + "\n";
}

/** The result.jsonl record of one result, under the config the trial ran it with. */
export function resultRecordOf(trial: Pick<TrialView, "id" | "config">, result: Result): ResultRecord {
  return {
    trial_id: trial.id,
    training_iteration: result.iteration,
    time: result.time,
    time_total_s: result.timeTotal,
    done: result.done === true,
    metrics: { ...result.metrics },
    config: trial.config,
  };
}

/**
 * A line of result.jsonl written when a trial restarts (after a failure, a pause, or a
 * resumed driver): of the trial's results so far, only the first `kept` stand; the
 * lines after this one re-do the rest. Readers apply it (`effectiveResults`), so
 * each iteration shows once.
 */
export interface RestartRecord {
  readonly type: "restart";
  readonly trial_id: string;
  readonly kept: number;
  readonly time: number;
}

export type ResultLine = ResultRecord | RestartRecord;

/** The results that stand, in order: each restart marker drops the results it says are re-done. */
export function effectiveResults(lines: readonly ResultLine[]): ResultRecord[] {
  const out: ResultRecord[] = [];
  for (const line of lines) {
    if ((line as RestartRecord).type === "restart") out.length = Math.min(out.length, (line as RestartRecord).kept);
    else out.push(line as ResultRecord);
  }
  return out;
}

/** Fixed columns of progress.csv; metric columns follow, in order of first appearance. */
export const PROGRESS_FIXED_COLUMNS = ["training_iteration", "time", "time_total_s", "done"] as const;

export interface DecisionRecord {
  readonly type: "decision";
  readonly time: number;
  readonly trial_id: string;
  readonly kind: "stop" | "pause" | "promote" | "resume";
  readonly iteration: number;
  readonly reason: string;
  readonly by: string;
}

export interface ExploitRecord {
  readonly type: "exploit";
  readonly time: number;
  readonly trial_id: string;
  readonly donor: string;
  readonly iteration: number;
  readonly time_total_s: number;
  readonly old_config: Config;
  readonly new_config: Config;
  readonly reason: string;
}

export type DecisionsLine = DecisionRecord | ExploitRecord;

/** trials.csv columns before the `config/<key>` ones. */
export const TRIAL_TABLE_COLUMNS = [
  "trial_id",
  "status",
  "iterations",
  "last_metric",
  "best_metric",
  "gpu_seconds",
  "cpu_seconds",
  "failures",
  "error",
] as const;

export interface TrialRow {
  readonly trial_id: string;
  readonly status: TrialStatus;
  readonly iterations: number;
  readonly last_metric: number | null;
  readonly best_metric: number | null;
  readonly gpu_seconds: number;
  readonly cpu_seconds: number;
  readonly failures: number;
  readonly error: string;
  readonly config: Config;
}

export const CONFIG_COLUMN_PREFIX = "config/";
