import type { Mode, Result, TrialStatus, TrialView } from "../contracts/index.ts";

/** What the live display shows, kept up to date by `ProgressDisplay`'s hooks; rendering is separate (and testable alone). */
export interface ProgressSnapshot {
  readonly metric: string;
  readonly mode: Mode;
  readonly counts: Readonly<Record<TrialStatus, number>>;
  readonly trials: number;
  readonly maxTrials: number | null;
  readonly results: number;
  readonly best: { readonly trialId: string; readonly value: number; readonly iteration: number } | undefined;
  /** The best trials by their last value: id, value, iteration, status. */
  readonly top: ReadonlyArray<{ readonly trialId: string; readonly value: number; readonly iteration: number; readonly status: TrialStatus }>;
  readonly elapsedSeconds: number;
  /** Loop clock (simulated seconds in a simulation). */
  readonly loopSeconds: number;
  readonly resultsPerSecond: number;
  /** Wall seconds left, estimated from the share of trials ended; undefined while unknown. */
  readonly etaSeconds: number | undefined;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "-";
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

function short(value: number): string {
  return String(Number(value.toPrecision(5)));
}

/** The live table: one header line, a counts line, then the top trials. */
export function renderProgress(s: ProgressSnapshot): string {
  const counts = (["RUNNING", "PENDING", "PAUSED", "TERMINATED", "ERROR"] as const)
    .filter((k) => s.counts[k] > 0)
    .map((k) => `${k.toLowerCase()} ${s.counts[k]}`)
    .join("  ");
  const trials = s.maxTrials === null ? `${s.trials}` : `${s.trials}/${s.maxTrials}`;
  const eta = s.etaSeconds === undefined ? "" : `  eta ${formatDuration(s.etaSeconds)}`;
  const lines = [
    `tunelab  ${formatDuration(s.elapsedSeconds)} elapsed${eta}  ${Math.round(s.resultsPerSecond)} results/s  clock ${formatDuration(s.loopSeconds)}`,
    `trials ${trials}  ${counts || "none yet"}`,
    s.best ? `best ${s.metric} (${s.mode}) ${short(s.best.value)}  ${s.best.trialId} @ iteration ${s.best.iteration}` : `best ${s.metric} (${s.mode}): no result yet`,
  ];
  if (s.top.length > 0) {
    lines.push(`  trial    ${s.metric.padEnd(10)} iter  status`);
    for (const t of s.top) lines.push(`  ${t.trialId}  ${short(t.value).padEnd(10)} ${String(t.iteration).padStart(4)}  ${t.status.toLowerCase()}`);
  }
  return lines.join("\n");
}

/** One plain line, for a log or CI (not a terminal). */
export function renderProgressLine(s: ProgressSnapshot): string {
  const best = s.best ? `best ${s.metric}=${short(s.best.value)} (${s.best.trialId})` : "no result yet";
  const eta = s.etaSeconds === undefined ? "" : ` eta=${formatDuration(s.etaSeconds)}`;
  return `tunelab: ${formatDuration(s.elapsedSeconds)} trials=${s.trials} running=${s.counts.RUNNING} done=${s.counts.TERMINATED} error=${s.counts.ERROR} results=${s.results} ${best}${eta}`;
}

/** Counts, the best value and the last values of trials, from the hook calls. */
export class ProgressState {
  metric = "";
  mode: Mode = "min";
  maxTrials: number | null = null;
  results = 0;
  loopSeconds = 0;
  best: { trialId: string; value: number; iteration: number } | undefined;
  readonly trials = new Map<string, TrialView>();

  onResult(trial: TrialView, result: Result): void {
    this.trials.set(trial.id, trial);
    this.results++;
    this.loopSeconds = result.time;
    const value = result.metrics[this.metric];
    if (value !== undefined && (this.best === undefined || (this.mode === "max" ? value > this.best.value : value < this.best.value))) {
      this.best = { trialId: trial.id, value, iteration: result.iteration };
    }
  }

  snapshot(elapsedSeconds: number, topN: number): ProgressSnapshot {
    const counts: Record<TrialStatus, number> = { PENDING: 0, RUNNING: 0, PAUSED: 0, TERMINATED: 0, ERROR: 0 };
    const last: Array<{ trialId: string; value: number; iteration: number; status: TrialStatus }> = [];
    for (const t of this.trials.values()) {
      counts[t.status]++;
      const value = t.lastResult?.metrics[this.metric];
      if (value !== undefined) last.push({ trialId: t.id, value, iteration: t.lastResult?.iteration ?? 0, status: t.status });
    }
    last.sort((a, b) => (this.mode === "max" ? b.value - a.value : a.value - b.value));
    const ended = counts.TERMINATED + counts.ERROR;
    const etaSeconds = this.maxTrials !== null && ended > 0 && elapsedSeconds > 0 ? (elapsedSeconds * (this.maxTrials - ended)) / ended : undefined;
    return {
      metric: this.metric,
      mode: this.mode,
      counts,
      trials: this.trials.size,
      maxTrials: this.maxTrials,
      results: this.results,
      best: this.best,
      top: last.slice(0, topN),
      elapsedSeconds,
      loopSeconds: this.loopSeconds,
      resultsPerSecond: elapsedSeconds > 0 ? this.results / elapsedSeconds : 0,
      etaSeconds,
    };
  }
}
