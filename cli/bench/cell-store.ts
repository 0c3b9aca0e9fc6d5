import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CellRecord } from "./cell.ts";

/**
 * The runner's output: one JSON line per finished cell in `DIR/cells.jsonl`, appended as
 * each cell ends, so an interrupted grid resumes where it stopped. The newest line of a
 * key wins; a failed cell is recorded and runs again on the next start.
 */
export class CellStore {
  readonly file: string;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, "cells.jsonl");
  }

  /** Every cell recorded so far, the newest line of each key; a torn last line (a killed run) is skipped. */
  read(): Map<string, CellRecord> {
    const records = new Map<string, CellRecord>();
    if (!existsSync(this.file)) return records;
    for (const line of readFileSync(this.file, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      let record: CellRecord;
      try {
        record = JSON.parse(line) as CellRecord;
      } catch {
        continue;
      }
      if (typeof record.key === "string") records.set(record.key, record);
    }
    return records;
  }

  append(record: CellRecord): void {
    // JSON has no Infinity: a run that never reported keeps its regret as null.
    appendFileSync(this.file, JSON.stringify(record) + "\n");
  }
}
