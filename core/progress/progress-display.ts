import { createLogUpdate } from "log-update";

/** Where progress goes (process.stderr by default): declared here so the public types need no @types/node. */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}
import type { Result, TrialView } from "../contracts/index.ts";
import type { ExperimentEndInfo, ExperimentStartInfo, TrialStartInfo, TuneCallback } from "../callbacks/index.ts";
import { ProgressState, renderProgress, renderProgressLine } from "./progress-state.ts";

export interface ProgressOptions {
  /** @defaultValue process.stderr (so `--json` on stdout is never mixed with progress) */
  stream?: ProgressStream;
  /** "live": a table redrawn in place (a terminal); "lines": one plain line every `lineEverySeconds` (CI, a pipe). @defaultValue "live" when the stream is a TTY, else "lines" */
  style?: "live" | "lines";
  /** Most redraws per second of the live table. @defaultValue 2 */
  maxRedrawsPerSecond?: number;
  /** @defaultValue 10 */
  lineEverySeconds?: number;
  /** Trials listed under the counts. @defaultValue 5 */
  top?: number;
  /** Wall clock in milliseconds (tests). @defaultValue performance.now */
  now?: () => number;
}

/**
 * Live progress as a callback: status counts, best so far, the top trials,
 * elapsed time, results per second and the ETA when the trial budget is known.
 * The live table is drawn with log-update (it rewrites its own lines, so other
 * output is not garbled) and redrawn at most twice a second, checked on each
 * result: a simulation pays one clock read per result.
 */
export class ProgressDisplay implements TuneCallback {
  readonly name = "ProgressDisplay";
  private readonly state = new ProgressState();
  private readonly stream: ProgressStream;
  private readonly style: "live" | "lines";
  private readonly minGapMs: number;
  private readonly topN: number;
  private readonly now: () => number;
  private readonly log: ReturnType<typeof createLogUpdate> | undefined;
  private started = 0;
  private lastDraw = 0;
  /** How many frames or lines were written (tests). */
  draws = 0;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.style = options.style ?? (this.stream.isTTY ? "live" : "lines");
    const perSecond = options.maxRedrawsPerSecond ?? 2;
    this.minGapMs = this.style === "live" ? 1000 / perSecond : 1000 * (options.lineEverySeconds ?? 10);
    this.topN = options.top ?? 5;
    this.now = options.now ?? (() => performance.now());
    this.log = this.style === "live" ? createLogUpdate(this.stream as NodeJS.WriteStream) : undefined;
  }

  onExperimentStart(info: ExperimentStartInfo): void {
    this.state.metric = info.metric;
    this.state.mode = info.mode;
    this.state.maxTrials = Number.isFinite(info.maxTrials) ? info.maxTrials : null;
    this.started = this.now();
    this.lastDraw = this.started;
  }

  onTrialStart(trial: TrialView, _info: TrialStartInfo): void {
    this.state.trials.set(trial.id, trial);
  }

  onTrialResult(trial: TrialView, result: Result): void {
    this.state.onResult(trial, result);
    const t = this.now();
    if (t - this.lastDraw >= this.minGapMs) this.draw(t);
  }

  onExperimentEnd(_info: ExperimentEndInfo): void {
    // A short run that never drew stays silent; a long one leaves its final frame.
    if (this.draws === 0) return;
    this.draw(this.now());
    this.log?.done();
  }

  private draw(t: number): void {
    this.lastDraw = t;
    this.draws++;
    const snapshot = this.state.snapshot((t - this.started) / 1000, this.topN);
    if (this.log) this.log(renderProgress(snapshot));
    else this.stream.write(renderProgressLine(snapshot) + "\n");
  }
}

/**
 * The display a run gets from a `progress` option: false turns it off; true and
 * "auto" show the live table on a terminal and, elsewhere (CI, a pipe), one plain
 * line every 10 s. Either way a run shorter than the first line stays silent.
 */
export function progressFor(progress: boolean | "auto" | undefined, stream: ProgressStream = process.stderr): ProgressDisplay | undefined {
  if (progress === false || progress === undefined) return undefined;
  return new ProgressDisplay({ stream });
}
