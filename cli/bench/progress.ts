/**
 * Live progress of a grid on stderr: one plain line at most every `intervalMs`
 * (rewritten in place on a terminal, appended otherwise), and a last one at the end.
 */
export class GridProgress {
  private done = 0;
  private failed = 0;
  private lastPrint = 0;
  private readonly started = performance.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly skipped: number,
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
    private readonly intervalMs = 1000,
    private readonly inPlace = process.stderr.isTTY === true,
  ) {}

  tick(ok: boolean): void {
    this.done++;
    if (!ok) this.failed++;
    const now = performance.now();
    if (now - this.lastPrint >= this.intervalMs) {
      this.lastPrint = now;
      this.print(false);
    }
  }

  finish(): void {
    this.print(true);
  }

  /** Cells per second of wall time so far. */
  get rate(): number {
    return this.done / Math.max(1e-9, (performance.now() - this.started) / 1000);
  }

  private print(last: boolean): void {
    const todo = this.total - this.skipped;
    const eta = this.rate > 0 ? (todo - this.done) / this.rate : Number.NaN;
    const parts = [
      `${this.label}: ${this.done}/${todo} cells`,
      this.skipped > 0 ? `${this.skipped} already done` : "",
      this.failed > 0 ? `${this.failed} failed` : "",
      `${this.rate.toFixed(2)} cells/s`,
      last ? `${((performance.now() - this.started) / 1000).toFixed(1)} s` : Number.isFinite(eta) ? `ETA ${Math.ceil(eta)} s` : "",
    ].filter(Boolean);
    const line = parts.join(", ");
    this.write(this.inPlace ? `\r${line}\u001b[K${last ? "\n" : ""}` : `${line}\n`);
  }
}
