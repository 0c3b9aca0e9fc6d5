/**
 * Opt-in event trace: one JSON object per line (JSONL). Off by default so the
 * simulator's hot loop pays nothing; when on, records are plain data written in
 * event order, so two runs with the same seed produce byte-identical traces.
 */
export type TraceFields = Record<string, string | number | boolean | null | undefined | object>;

export class EventTrace {
  private count = 0;
  constructor(private readonly write: (line: string) => void) {}

  emit(time: number, type: string, fields?: TraceFields): void {
    this.count++;
    this.write(JSON.stringify({ seq: this.count, t: roundTime(time), type, ...fields }) + "\n");
  }

  get records(): number {
    return this.count;
  }
}

/** Collects trace lines in memory (tests, or the CLI before writing a file). */
export function memoryTrace(): { trace: EventTrace; lines: string[] } {
  const lines: string[] = [];
  return { trace: new EventTrace((line) => lines.push(line)), lines };
}

// Microsecond resolution keeps traces readable and free of float noise in the last digits.
function roundTime(t: number): number {
  return Math.round(t * 1e6) / 1e6;
}
