import { createLogUpdate } from "log-update";
import { formatDuration, type ProgressStream } from "../../core/progress/index.ts";

export interface GridProgressOptions {
  /** @defaultValue process.stderr (stdout carries the report) */
  stream?: ProgressStream;
  /** "live": redrawn in place on a terminal; "lines": one plain line every `lineEverySeconds`. @defaultValue "live" on a TTY, else "lines" */
  style?: "live" | "lines";
  /** @defaultValue 2 */
  maxRedrawsPerSecond?: number;
  /** @defaultValue 10 */
  lineEverySeconds?: number;
  /** Cells running now, asked at each draw (the pool's tasks handed to a thread). @defaultValue none shown */
  running?: () => number;
  /** Wall clock in milliseconds (tests). @defaultValue performance.now */
  now?: () => number;
  /** Redraw on a timer too, so the elapsed time and ETA move while long cells run. @defaultValue true */
  timer?: boolean;
  /** Lines style: write the last line only if a periodic one was written (a short grid stays silent). @defaultValue false */
  lastLineOnlyAfterOthers?: boolean;
}

/** What the display shows; rendering is separate (and testable alone). */
export interface GridSnapshot {
  readonly label: string;
  /** Cells of the whole grid, and those done (already in the output before this run, plus finished now). */
  readonly total: number;
  readonly done: number;
  readonly skipped: number;
  readonly failed: number;
  readonly running: number | undefined;
  readonly elapsedSeconds: number;
  /** This run's cells per wall second. */
  readonly cellsPerSecond: number;
  readonly etaSeconds: number | undefined;
}

export function renderGridLive(s: GridSnapshot): string {
  const status = [`running ${s.running ?? "?"}`, s.failed > 0 ? `failed ${s.failed}` : "", s.skipped > 0 ? `${s.skipped} already done` : ""].filter(Boolean).join("  ");
  return [
    `${s.label}  ${s.done}/${s.total} cells  ${status}`,
    `${formatDuration(s.elapsedSeconds)} elapsed  ${s.cellsPerSecond.toFixed(2)} cells/s  eta ${s.etaSeconds === undefined ? "-" : formatDuration(s.etaSeconds)}`,
  ].join("\n");
}

export function renderGridLine(s: GridSnapshot, last = false): string {
  const parts = [
    `${s.label}: ${s.done}/${s.total} cells`,
    !last && s.running !== undefined ? `${s.running} running` : "",
    s.skipped > 0 ? `${s.skipped} already done` : "",
    s.failed > 0 ? `${s.failed} failed` : "",
    `${s.cellsPerSecond.toFixed(2)} cells/s`,
    `${formatDuration(s.elapsedSeconds)} elapsed`,
    !last && s.etaSeconds !== undefined ? `eta ${formatDuration(s.etaSeconds)}` : "",
  ].filter(Boolean);
  return parts.join(", ");
}

/**
 * Progress of a benchmark grid on stderr: cells done of the total, running, failed, rate,
 * elapsed and ETA. On a terminal a two-line display redrawn in place with log-update (at
 * most twice a second, and on a timer so the clock moves while long cells run); elsewhere
 * one plain line every `lineEverySeconds` and a last one at the end.
 */
export class GridProgress {
  private done = 0;
  private failed = 0;
  private lastDraw: number;
  private readonly started: number;
  private readonly stream: ProgressStream;
  private readonly style: "live" | "lines";
  private readonly minGapMs: number;
  private readonly now: () => number;
  private readonly log: ReturnType<typeof createLogUpdate> | undefined;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  /** Frames or lines written (tests). */
  draws = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly skipped: number,
    private readonly options: GridProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.style = options.style ?? (this.stream.isTTY ? "live" : "lines");
    this.minGapMs = this.style === "live" ? 1000 / (options.maxRedrawsPerSecond ?? 2) : 1000 * (options.lineEverySeconds ?? 10);
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.lastDraw = this.started;
    this.log = this.style === "live" ? createLogUpdate(this.stream as NodeJS.WriteStream) : undefined;
    if (options.timer !== false) {
      this.timer = setInterval(() => this.maybeDraw(), this.minGapMs);
      // Never keeps the process alive on its own.
      this.timer.unref();
    }
    // A live display shows itself at once: the first cells may take long.
    if (this.log) this.draw(this.started);
  }

  /** One cell finished (ok: it has a result; else it failed). */
  tick(ok: boolean): void {
    this.done++;
    if (!ok) this.failed++;
    this.maybeDraw();
  }

  /** The grid ended: the last frame (or line) stays. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    if (!this.log && this.options.lastLineOnlyAfterOthers === true && this.draws === 0) return;
    const snapshot = this.snapshot(this.now());
    this.draws++;
    if (this.log) {
      this.log(renderGridLive(snapshot));
      this.log.done();
    } else this.stream.write(renderGridLine(snapshot, true) + "\n");
  }

  snapshot(t: number): GridSnapshot {
    const elapsedSeconds = Math.max(0, (t - this.started) / 1000);
    const cellsPerSecond = elapsedSeconds > 0 ? this.done / elapsedSeconds : 0;
    const left = this.total - this.skipped - this.done;
    return {
      label: this.label,
      total: this.total,
      done: this.skipped + this.done,
      skipped: this.skipped,
      failed: this.failed,
      running: this.options.running?.(),
      elapsedSeconds,
      cellsPerSecond,
      etaSeconds: this.done > 0 && cellsPerSecond > 0 ? left / cellsPerSecond : undefined,
    };
  }

  private maybeDraw(): void {
    const t = this.now();
    if (t - this.lastDraw >= this.minGapMs) this.draw(t);
  }

  private draw(t: number): void {
    this.lastDraw = t;
    this.draws++;
    const snapshot = this.snapshot(t);
    if (this.log) this.log(renderGridLive(snapshot));
    else this.stream.write(renderGridLine(snapshot) + "\n");
  }
}

/**
 * The display a grid gets from a `progress` setting, as `tunelab sim` decides: false turns it
 * off; true and "auto" redraw in place on a terminal and write a plain line every 10 s
 * elsewhere, with a last line (under "auto", only after a grid long enough to have had one).
 */
export function gridProgressFor(
  progress: boolean | "auto" | undefined,
  label: string,
  total: number,
  skipped: number,
  options: GridProgressOptions = {},
): GridProgress | undefined {
  const stream = options.stream ?? process.stderr;
  if (progress === false) return undefined;
  // Off a terminal, "auto" is a plain line every 10 s; a grid done before the first stays silent.
  const quietIfShort = (progress === undefined || progress === "auto") && !stream.isTTY;
  return new GridProgress(label, total, skipped, { ...options, stream, ...(quietIfShort ? { lastLineOnlyAfterOthers: true } : {}) });
}
