import { readFileSync } from "node:fs";
import { fromCSV, type ColumnTable } from "arquero";
import { SavedStateError } from "../../core/contracts/index.ts";

/**
 * Reads a JSON-lines file that may still be written to, or was cut by a crash:
 * a torn last line is dropped. A bad line before the last is corruption, not a crash,
 * and fails with the file and line number. A missing file reads as no lines.
 */
export function readJsonLines<T>(path: string): T[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new SavedStateError(path, `cannot be read: ${(error as Error).message}`);
  }
  const lines = text.split("\n");
  const out: T[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      const last = lines.slice(i + 1).every((l) => l.trim() === "");
      if (last) break; // torn by a crash mid-write
      throw new SavedStateError(path, `line ${i + 1} is not JSON (the file is corrupt)`);
    }
  }
  return out;
}

/** A JSON file, or undefined when it does not exist. */
export function readJsonFile<T>(path: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SavedStateError(path, `cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new SavedStateError(path, "is not JSON (the file is corrupt)");
  }
}

/** A CSV file as an arquero table (strings kept as written; trials.csv's status, error and ids are text), or undefined when missing. */
export function readCsvTable(path: string): ColumnTable | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SavedStateError(path, `cannot be read: ${(error as Error).message}`);
  }
  return fromCSV(text);
}
