import { closeSync, openSync, writeSync } from "node:fs";
import { OptionError } from "../core/errors/index.ts";

/** A `--trace` JSONL file, opened (and so checked) before the run starts. */
export interface TraceFile {
  write(line: string): void;
  close(): void;
}

const FLUSH_CHARS = 1 << 16;

const WHY: Record<string, string> = {
  ENOENT: "its folder does not exist",
  ENOTDIR: "a part of its path is not a folder",
  EISDIR: "it is a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
};

/**
 * Opens `path` for writing, truncating it. A path that cannot be written is an
 * OptionError naming `--trace`, raised before any simulation runs, so a long run
 * is never lost to a bad path. Lines are written in chunks as the run goes, so a
 * long trace does not sit in memory.
 */
export function openTraceFile(flag: string, path: string): TraceFile {
  let fd: number;
  try {
    fd = openSync(path, "w");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new OptionError(flag, `cannot write ${JSON.stringify(path)}: ${WHY[code] ?? (error as Error).message}`);
  }
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = () => {
    if (pending.length > 0) writeSync(fd, pending.join(""));
    pending = [];
    pendingChars = 0;
  };
  return {
    write(line) {
      pending.push(line);
      pendingChars += line.length;
      if (pendingChars >= FLUSH_CHARS) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}
