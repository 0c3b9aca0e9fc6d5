import { promises as fsp } from "node:fs";
import type { Result, TrialView } from "../contracts/index.ts";

/** What a repair needs of a trial: its record as the journal has it. */
export type JournaledTrial = Pick<TrialView, "id" | "config" | "resources" | "history">;
import { csvLine } from "./csv.ts";
import { effectiveResults, PARAMS_FILE, PROGRESS_CSV, PROGRESS_FIXED_COLUMNS, RESULT_FILE, trialDir, trialFile, resultRecordOf, trialParamsText, type ResultLine, type ResultRecord, type TrialParams } from "./layout.ts";

/** What a repair did to one trial's files (for tests and the resume's log). */
export interface TrialFilesRepair {
  readonly params: boolean;
  readonly results: boolean;
  readonly progress: boolean;
}

/**
 * Brings a resumed trial's user-facing files up to its journal: the per-trial files
 * are written off the event loop (trial-files.ts), so a driver killed between a
 * journal commit and those writes leaves them behind (missing, short, or with a torn
 * last line); they are never ahead of it in what a reader sees as standing. The
 * journal's history (`trial.history`) is the truth:
 * - result.jsonl keeps its standing lines that agree with the history (they carry
 *   each result's config as it ran) and gets the rest from the history, written with
 *   the trial's config as the journal has it (the one difference: a PBT exploit inside
 *   the lost window shows the newer config). Rewritten clean, no restart markers, so
 *   each result is on one line.
 * - progress.csv is rebuilt from it when its row count or its last line is off.
 * - params.json is written when missing or unreadable.
 * Files that already agree are left alone (read, not written). Replacements go
 * through a temporary file and a rename, so a crash during a repair loses nothing.
 */
export async function repairTrialFiles(dir: string, trial: JournaledTrial, columns: readonly string[]): Promise<TrialFilesRepair> {
  await fsp.mkdir(trialDir(dir, trial.id), { recursive: true });
  const params = await repairParams(dir, trial);
  const history = trial.history;
  const resultPath = trialFile(dir, trial.id, RESULT_FILE);
  const text = await readOrEmpty(resultPath);
  const standing = effectiveResults(parseLines(text));
  let agree = 0;
  while (agree < standing.length && agree < history.length && sameResult(standing[agree] as ResultRecord, history[agree] as Result)) agree++;
  const resultsOk = agree === standing.length && agree === history.length && (text === "" || text.endsWith("\n"));
  const records: ResultRecord[] = standing.slice(0, agree);
  for (let i = agree; i < history.length; i++) records.push(resultRecordOf(trial, history[i] as Result));
  if (!resultsOk) await replace(resultPath, records.map((r) => JSON.stringify(r) + "\n").join(""));
  const progressPath = trialFile(dir, trial.id, PROGRESS_CSV);
  const progressText = await readOrEmpty(progressPath);
  const rows = progressText === "" ? -1 : progressText.split("\n").length - 2;
  const progressOk = resultsOk && progressText.endsWith("\n") && rows === records.length;
  if (!progressOk) {
    await replace(progressPath, csvLine([...PROGRESS_FIXED_COLUMNS, ...columns]) + records.map((r) => progressRow(columns, r)).join(""));
  }
  return { params, results: !resultsOk, progress: !progressOk };
}

export function progressRow(columns: readonly string[], r: ResultRecord): string {
  return csvLine([r.training_iteration, r.time, r.time_total_s, r.done, ...columns.map((c) => r.metrics[c])]);
}

/** The lines of a result.jsonl that parse (a torn last line does not). */
export function parseLines(text: string): ResultLine[] {
  const out: ResultLine[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line) as ResultLine);
    } catch {
      // A torn last line from a killed driver: the results before it stand.
    }
  }
  return out;
}

async function repairParams(dir: string, trial: JournaledTrial): Promise<boolean> {
  const path = trialFile(dir, trial.id, PARAMS_FILE);
  try {
    const saved = JSON.parse(await fsp.readFile(path, "utf8")) as TrialParams;
    if (saved.trial_id === trial.id) return false;
  } catch {
    // Missing, empty or torn: written again below.
  }
  await replace(path, trialParamsText(trial));
  return true;
}

function sameResult(record: ResultRecord, result: Result): boolean {
  return record.training_iteration === result.iteration && record.time_total_s === result.timeTotal && record.time === result.time;
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await fsp.readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}

async function replace(path: string, text: string): Promise<void> {
  await fsp.writeFile(`${path}.tmp`, text);
  await fsp.rename(`${path}.tmp`, path);
}
