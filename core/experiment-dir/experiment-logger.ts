import { existsSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { OptionError } from "../contracts/index.ts";
import type { CheckpointRef, Mode, Result, TrialView } from "../contracts/index.ts";
import type { DecisionEvent, ExperimentEndInfo, ExperimentStartInfo, ExploitEvent, TrialStartInfo, TuneCallback } from "../callbacks/index.ts";
import { csvLine } from "./csv.ts";
import {
  CONFIG_COLUMN_PREFIX,
  DECISIONS_FILE,
  EXPERIMENT_META_FILE,
  experimentFile,
  LAYOUT_VERSION,
  PARAMS_FILE,
  PROGRESS_CSV,
  PROGRESS_FIXED_COLUMNS,
  RESULT_FILE,
  TRACE_FILE,
  resultRecordOf,
  trialDir,
  trialFile,
  trialParamsText,
  TRIAL_TABLE_COLUMNS,
  TRIALS_CSV,
  type DecisionRecord,
  type ExperimentMeta,
  type ExploitRecord,
  type ResultRecord,
  effectiveResults,
  type RestartRecord,
} from "./layout.ts";
import { parseLines, progressRow, repairTrialFiles } from "./repair-trial-files.ts";
import { Appenders, nodeStorageFs, replaceAtomically, storageError, type StorageFs } from "./storage-fs.ts";
import { TrialFileWriter, type TrialFileName } from "./trial-files.ts";

export interface ExperimentLoggerOptions {
  /** @defaultValue the directory's last path segment */
  name?: string;
  /** @defaultValue "real" */
  kind?: "simulation" | "real";
  /**
   * Append buffered lines at most this often, in wall milliseconds (0: at the end of
   * each event, see `flush`). Real runs use 0; simulations, whose results come
   * millions a second, buffer longer. Everything is written at the end either way.
   * @defaultValue 0
   */
  flushEveryMs?: number;
  /** How often trials.csv is rewritten while running, in wall milliseconds. @defaultValue 1000 */
  trialTableEveryMs?: number;
  /** The file operations (a test injects failing ones). @defaultValue node:fs */
  fs?: StorageFs;
  /**
   * Write the per-trial files (directory, params.json, result.jsonl, progress.csv)
   * off the event loop, through TrialFileWriter; the engine then awaits `drain()` at
   * the end. Only with node:fs (an injected `fs` keeps every write synchronous).
   * Real runs use it: creating a trial's files costs milliseconds of blocking system
   * calls on a busy disk, the loop's whole per-result budget.
   * @defaultValue false
   */
  asyncTrialFiles?: boolean;
}

interface TrialLog {
  readonly trial: TrialView;
  /** progress.csv's metric columns so far, in order of first appearance. */
  columns: string[];
  seenColumns: Set<string>;
  /** time_total_s the trial's next step starts from (its restored checkpoint's, after a restart or an exploit). */
  lastTimeTotal: number;
  trainedSeconds: number;
  best: number | null;
  last: number | null;
  /** Results of this trial standing in result.jsonl; undefined when the file predates this logger (a resume). */
  standing: number | undefined;
  /** progress.csv was created empty by this logger (the async writer's `create`): its header is still to come. */
  freshProgress?: boolean;
}

/**
 * The built-in loggers, as one callback: per trial `params.json`, `result.jsonl`
 * and `progress.csv`; per experiment `trials.csv`, `decisions.jsonl` and
 * `experiment.json` (see layout.ts). Lines are appended in groups: what one event
 * produced goes out as one write per file (through descriptors kept open), before
 * the experiment's state is committed after that event (ExperimentDirSession calls
 * `flush`, write-ahead) and before the executor's next event is handled. So a crashed
 * run leaves every result the driver had handled readable.
 */
export class ExperimentLogger implements TuneCallback {
  readonly name = "ExperimentLogger";
  private readonly flushEveryMs: number;
  private readonly trialTableEveryMs: number;
  private readonly pending = new Map<string, string[]>();
  private readonly trials = new Map<string, TrialLog>();
  private readonly configKeys: string[] = [];
  private readonly configKeySet = new Set<string>();
  private metric = "";
  private mode: Mode = "min";
  private meta: ExperimentMeta | undefined;
  private lastFlush = 0;
  private lastTable = 0;
  private readonly fs: StorageFs;
  private readonly appenders: Appenders;
  private flushQueued = false;
  /**
   * The first write that failed (a full disk, a directory made read-only), naming the
   * path. The loop runs callbacks guarded (a throwing hook is reported and the run goes
   * on), so the engine reads this after each event and ends the run with it.
   */
  get failure(): Error | undefined {
    return this.firstFailure ?? this.trialFiles?.failure;
  }
  private firstFailure: Error | undefined;
  /** The per-trial files' writer, when they are written off the event loop. */
  private readonly trialFiles: TrialFileWriter | undefined;

  constructor(
    readonly dir: string,
    private readonly options: ExperimentLoggerOptions = {},
  ) {
    this.flushEveryMs = options.flushEveryMs ?? 0;
    this.trialTableEveryMs = options.trialTableEveryMs ?? 1000;
    this.fs = options.fs ?? nodeStorageFs;
    this.appenders = new Appenders(this.fs);
    this.trialFiles = options.asyncTrialFiles === true && this.fs === nodeStorageFs ? new TrialFileWriter(dir) : undefined;
    prepareDirectory(dir, this.fs);
  }

  /**
   * A resumed experiment's trials, as the saved state has them: their rows in
   * trials.csv and their best/last metric carry on; their files are already there.
   */
  adoptTrials(trials: readonly TrialView[], metric: string, mode: Mode): void {
    this.metric = metric;
    this.mode = mode;
    for (const trial of trials) {
      const log: TrialLog = { trial, columns: [], seenColumns: new Set(), lastTimeTotal: 0, trainedSeconds: 0, best: null, last: null, standing: undefined };
      for (const result of trial.history) {
        log.trainedSeconds += Math.max(0, result.timeTotal - log.lastTimeTotal);
        log.lastTimeTotal = result.timeTotal;
        const value = result.metrics[metric];
        if (value === undefined) continue;
        log.last = value;
        if (log.best === null || (mode === "max" ? value > log.best : value < log.best)) log.best = value;
        for (const key of Object.keys(result.metrics)) {
          if (!log.seenColumns.has(key)) {
            log.seenColumns.add(key);
            log.columns.push(key);
          }
        }
      }
      this.trials.set(trial.id, log);
      this.noteConfigKeys(trial);
      if (this.trialFiles) {
        // The files may lag the journal (their writes were queued when the driver died): brought up to it first, in the trial's queue.
        log.standing = trial.history.length;
        // As the journal has it now: the trial's live history grows before the queued repair runs.
        const asJournaled = { id: trial.id, config: trial.config, resources: trial.resources, history: [...trial.history] };
        const columns = [...log.columns];
        this.trialFiles.enqueue(trial.id, trialFile(this.dir, trial.id, RESULT_FILE), async () => {
          await repairTrialFiles(this.dir, asJournaled, columns);
        });
      }
    }
  }

  private noteConfigKeys(trial: TrialView): void {
    for (const key of Object.keys(trial.config)) {
      if (!this.configKeySet.has(key)) {
        this.configKeySet.add(key);
        this.configKeys.push(key);
      }
    }
  }

  /** One write under the directory: a failure is remembered (see `failure`) and rethrown, naming the path. */
  private guard(path: string, write: () => void): void {
    if (this.failure) return;
    try {
      write();
    } catch (error) {
      this.firstFailure = storageError(path, error);
      throw this.firstFailure;
    }
  }

  /** A trace writer into `<dir>/trace.jsonl`, buffered with the other files. */
  traceWriter(): (line: string) => void {
    const path = experimentFile(this.dir, TRACE_FILE);
    // A resumed experiment's trace goes on after the earlier session's.
    if (!existsSync(path)) this.guard(path, () => this.fs.writeFile(path, ""));
    return (line) => this.append(path, line);
  }

  onExperimentStart(info: ExperimentStartInfo): void {
    this.metric = info.metric;
    this.mode = info.mode;
    this.meta = {
      layoutVersion: LAYOUT_VERSION,
      name: this.options.name ?? (this.dir.split(/[\\/]/).filter(Boolean).pop() ?? "experiment"),
      kind: this.options.kind ?? "real",
      metric: info.metric,
      mode: info.mode,
      maxTrials: Number.isFinite(info.maxTrials) ? info.maxTrials : null,
      resources: { cpu: info.resources.cpu, gpu: info.resources.gpu },
      startedAt: new Date().toISOString(),
    };
    const metaPath = experimentFile(this.dir, EXPERIMENT_META_FILE);
    this.guard(metaPath, () => replaceAtomically(this.fs, metaPath, JSON.stringify(this.meta, null, 2) + "\n", false));
    const decisions = experimentFile(this.dir, DECISIONS_FILE);
    this.guard(decisions, () => this.appenders.append(decisions, ""));
  }

  onTrialStart(trial: TrialView, info: TrialStartInfo): void {
    let log = this.trials.get(trial.id);
    if (!log && this.trialFiles) {
      // Created off the loop, ahead of the first result (the writer truncates an earlier session's uncommitted files).
      log = { trial, columns: [], seenColumns: new Set(), lastTimeTotal: 0, trainedSeconds: 0, best: null, last: null, standing: 0, freshProgress: true };
      this.trials.set(trial.id, log);
      this.trialFiles.create(trial.id, trialParamsText(trial));
      this.noteConfigKeys(trial);
    }
    if (!log) {
      const path = trialFile(this.dir, trial.id, RESULT_FILE);
      // A result file already there is an earlier session's (a driver killed before its first commit).
      log = { trial, columns: [], seenColumns: new Set(), lastTimeTotal: 0, trainedSeconds: 0, best: null, last: null, standing: existsSync(path) ? undefined : 0 };
      this.trials.set(trial.id, log);
      const paramsPath = trialFile(this.dir, trial.id, PARAMS_FILE);
      this.guard(paramsPath, () => {
        this.fs.mkdir(trialDir(this.dir, trial.id));
        this.fs.writeFile(paramsPath, trialParamsText(trial));
      });
      this.noteConfigKeys(trial);
    }
    log.lastTimeTotal = info.restoreFrom?.timeTotal ?? 0;
    this.markRestart(log, info.time);
  }

  onTrialResult(trial: TrialView, result: Result): void {
    const log = this.trials.get(trial.id);
    if (!log) return;
    const record = resultRecordOf(trial, result);
    log.trainedSeconds += Math.max(0, result.timeTotal - log.lastTimeTotal);
    log.lastTimeTotal = result.timeTotal;
    const value = result.metrics[this.metric];
    if (value !== undefined) {
      log.last = value;
      if (log.best === null || (this.mode === "max" ? value > log.best : value < log.best)) log.best = value;
    }
    this.appendTrial(trial.id, RESULT_FILE, JSON.stringify(record) + "\n");
    if (log.standing !== undefined) log.standing++;
    this.appendProgress(log, record);
    this.maybeFlush();
  }

  /**
   * A trial that already wrote results starts again (a retry, a resumed pause, a
   * resumed driver): a restart marker says how many of its results stand (the loop
   * has dropped the ones it will re-do), so readers show each iteration once.
   */
  private markRestart(log: TrialLog, time: number): void {
    const path = trialFile(this.dir, log.trial.id, RESULT_FILE);
    const kept = log.trial.history.length;
    // Nothing to re-do (a paused trial resuming where it stopped): no marker.
    if (log.standing !== undefined && kept >= log.standing) return;
    if (log.standing === undefined && (!existsSync(path) || statSync(path).size === 0)) {
      log.standing = 0;
      return;
    }
    const record: RestartRecord = { type: "restart", trial_id: log.trial.id, kept, time };
    this.appendTrial(log.trial.id, RESULT_FILE, JSON.stringify(record) + "\n");
    log.standing = kept;
    this.rewriteProgress(log);
  }

  onCheckpoint(_trial: TrialView, _checkpoint: CheckpointRef): void {}

  onTrialComplete(trial: TrialView): void {
    this.trialFiles?.end(trial.id);
    this.maybeWriteTable();
  }

  onTrialError(trial: TrialView): void {
    this.trialFiles?.end(trial.id);
    this.maybeWriteTable();
  }

  onDecision(event: DecisionEvent): void {
    const record: DecisionRecord = {
      type: "decision",
      time: event.time,
      trial_id: event.trialId,
      kind: event.kind,
      iteration: event.iteration,
      reason: event.reason,
      by: event.by,
    };
    this.append(experimentFile(this.dir, DECISIONS_FILE), JSON.stringify(record) + "\n");
  }

  onExploit(event: ExploitEvent): void {
    const record: ExploitRecord = {
      type: "exploit",
      time: event.time,
      trial_id: event.recipient,
      donor: event.donor,
      iteration: event.iteration,
      time_total_s: event.timeTotal,
      old_config: event.oldConfig,
      new_config: event.newConfig,
      reason: event.reason,
    };
    const log = this.trials.get(event.recipient);
    if (log) log.lastTimeTotal = event.timeTotal;
    this.append(experimentFile(this.dir, DECISIONS_FILE), JSON.stringify(record) + "\n");
  }

  onExperimentEnd(info: ExperimentEndInfo): void {
    this.flush();
    this.flushQueued = false;
    this.writeTrialTable();
    if (this.meta) {
      this.meta = { ...this.meta, endedAt: new Date().toISOString(), endTime: info.time };
      const path = experimentFile(this.dir, EXPERIMENT_META_FILE);
      const text = JSON.stringify(this.meta, null, 2) + "\n";
      this.guard(path, () => replaceAtomically(this.fs, path, text, false));
    }
  }

  /** Writes every buffered line now: one write per file (the per-trial files' are enqueued, see `drain`). */
  flush(): void {
    this.trialFiles?.flush();
    if (this.pending.size === 0) return;
    for (const [path, lines] of this.pending) {
      if (lines.length > 0) this.guard(path, () => this.appenders.append(path, lines.length === 1 ? (lines[0] as string) : lines.join("")));
    }
    this.pending.clear();
    this.lastFlush = performance.now();
  }

  /** After an event (ExperimentDirSession): a real run's lines go out now, a simulation's when due. */
  endOfEvent(): void {
    if (this.flushEveryMs === 0) this.flush();
  }

  /** Whether per-trial files are written off the event loop (the engine then awaits `drain`). */
  get writesOffLoop(): boolean {
    return this.trialFiles !== undefined;
  }

  /** Resolves when the per-trial files written off the loop are all out (their first failure is in `failure`). */
  async drain(): Promise<void> {
    try {
      this.flush();
    } catch {
      // Remembered in `failure`.
    }
    await this.trialFiles?.close();
  }

  /** Closes the files kept open (the run ended, or failed); the per-trial files' writer closes in `drain`. */
  close(): void {
    try {
      this.flush();
    } catch {
      // Remembered in `failure`; closing goes on.
    }
    this.appenders.close();
  }

  /** A line for one of the trial's files: queued off the loop, or buffered with the others. */
  private appendTrial(trialId: string, file: TrialFileName, line: string): void {
    if (this.trialFiles) this.trialFiles.append(trialId, file, line);
    else this.append(trialFile(this.dir, trialId, file), line);
  }

  private append(path: string, line: string): void {
    const lines = this.pending.get(path);
    if (lines) lines.push(line);
    else this.pending.set(path, [line]);
    if (this.flushEveryMs === 0 && !this.flushQueued) {
      // Used without a session (nobody calls endOfEvent): the lines still go out once this task's work is done.
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        try {
          this.flush();
        } catch {
          // Remembered in `failure`, which the engine reads after each event.
        }
      });
    }
  }

  private maybeFlush(): void {
    if (this.flushEveryMs > 0 && performance.now() - this.lastFlush >= this.flushEveryMs) {
      this.flush();
      this.maybeWriteTable();
    }
  }

  private appendProgress(log: TrialLog, record: ResultRecord): void {
    const path = trialFile(this.dir, record.trial_id, PROGRESS_CSV);
    let grew = false;
    for (const key of Object.keys(record.metrics)) {
      if (!log.seenColumns.has(key)) {
        log.seenColumns.add(key);
        log.columns.push(key);
        grew = true;
      }
    }
    if (!grew) {
      this.appendTrial(record.trial_id, PROGRESS_CSV, progressRow(log.columns, record));
      return;
    }
    if (this.trialFiles && log.standing === 1 && log.freshProgress === true) {
      log.freshProgress = false;
      this.trialFiles.append(record.trial_id, PROGRESS_CSV, csvLine([...PROGRESS_FIXED_COLUMNS, ...log.columns]) + progressRow(log.columns, record));
      return;
    }
    // The trial's first standing result (nearly always where the columns appear): the file is this header and row.
    if (log.standing === 1) {
      const text = csvLine([...PROGRESS_FIXED_COLUMNS, ...log.columns]) + progressRow(log.columns, record);
      this.guard(path, () => this.fs.writeFile(path, text));
      return;
    }
    // A new column later: rewrite the file with the union header from result.jsonl (rare).
    this.rewriteProgress(log);
  }

  /** progress.csv again from result.jsonl's standing results (after a new column or a restart). */
  private rewriteProgress(log: TrialLog): void {
    log.freshProgress = false;
    if (this.trialFiles) {
      // In the trial's queue: result.jsonl's earlier lines are written when this reads it.
      const columns = [...log.columns];
      const resultPath = trialFile(this.dir, log.trial.id, RESULT_FILE);
      this.trialFiles.replace(log.trial.id, PROGRESS_CSV, async () => {
        const records = effectiveResults(parseLines(await readFile(resultPath, "utf8").catch(() => "")));
        return csvLine([...PROGRESS_FIXED_COLUMNS, ...columns]) + records.map((r) => progressRow(columns, r)).join("");
      });
      return;
    }
    this.flush();
    const path = trialFile(this.dir, log.trial.id, PROGRESS_CSV);
    const records = readResultLines(trialFile(this.dir, log.trial.id, RESULT_FILE));
    const body = records.map((r) => progressRow(log.columns, r)).join("");
    this.guard(path, () => this.fs.writeFile(path, csvLine([...PROGRESS_FIXED_COLUMNS, ...log.columns]) + body));
  }

  private maybeWriteTable(): void {
    const now = performance.now();
    if (now - this.lastTable < this.trialTableEveryMs) return;
    this.flush();
    this.writeTrialTable();
  }

  private writeTrialTable(): void {
    this.lastTable = performance.now();
    const header = [...TRIAL_TABLE_COLUMNS, ...this.configKeys.map((k) => CONFIG_COLUMN_PREFIX + k)];
    let text = csvLine(header);
    for (const log of this.trials.values()) {
      const t = log.trial;
      const row: unknown[] = [
        t.id,
        t.status,
        t.lastResult?.iteration ?? 0,
        log.last,
        log.best,
        round6(log.trainedSeconds * t.resources.gpu),
        round6(log.trainedSeconds * t.resources.cpu),
        (t as { failures?: number }).failures ?? 0,
        t.errorMessage ?? "",
      ];
      for (const key of this.configKeys) row.push(t.config[key]);
      text += csvLine(row);
    }
    const path = experimentFile(this.dir, TRIALS_CSV);
    this.guard(path, () => replaceAtomically(this.fs, path, text, false));
  }
}

function readResultLines(path: string): ResultRecord[] {
  if (!existsSync(path)) return [];
  return effectiveResults(parseLines(readFileSync(path, "utf8")));
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function prepareDirectory(dir: string, fs: StorageFs): void {
  try {
    if (statSync(dir).isFile()) throw new OptionError("storagePath", `"${dir}" is a file, not a directory`);
  } catch (error) {
    if (error instanceof OptionError) throw error;
  }
  try {
    fs.mkdir(dir);
  } catch (error) {
    throw storageError(dir, error);
  }
}
