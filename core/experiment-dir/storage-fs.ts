import { appendFileSync, close, closeSync, fsync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { OptionError } from "../errors/index.ts";

/**
 * The few file operations the experiment directory needs, behind one seam so a
 * test can make them fail (a full disk, a read-only mount) at a chosen write
 * without root or a real tmpfs. Every call throws the raw fs error; callers turn
 * it into `storageError`, which names the path.
 */
export interface StorageFs {
  mkdir(path: string): void;
  /** Creates or truncates `path` and writes `text`. */
  writeFile(path: string, text: string): void;
  appendFile(path: string, text: string): void;
  rename(from: string, to: string): void;
  /** Flushes `path`'s data to the device. */
  fsync(path: string): void;
  remove(path: string): void;
}

export const nodeStorageFs: StorageFs = {
  mkdir: (path) => void mkdirSync(path, { recursive: true }),
  writeFile: (path, text) => writeFileSync(path, text),
  appendFile: (path, text) => appendFileSync(path, text),
  rename: (from, to) => renameSync(from, to),
  fsync: (path) => {
    const fd = openSync(path, "r+");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  remove: (path) => rmSync(path, { force: true, recursive: true }),
};

/** One line naming the path and the cause (ENOSPC, EACCES, ENOTDIR ...), for any failed write under storagePath. */
export function storageError(path: string, error: unknown): OptionError {
  if (error instanceof OptionError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "ENOSPC"
      ? "no space left on the device"
      : code === "EACCES" || code === "EPERM" || code === "EROFS"
        ? "permission denied (the directory is not writable)"
        : code === "ENOTDIR" || code === "EEXIST"
          ? "a parent of it is a file, not a directory"
          : code === "ENOENT"
            ? "its parent directory does not exist"
            : (error as Error).message;
  return new OptionError("storagePath", `cannot write "${path}": ${why}${code ? ` (${code})` : ""}`, { cause: error });
}

/** Runs one write; a failure becomes `storageError(path)`. */
export function writing<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw storageError(path, error);
  }
}

/**
 * Replaces `path` whole: the text goes to `<path>.tmp`, then a rename puts it in
 * place, so a reader (or a resumed driver) sees the old file or the new one,
 * never half of one; a failed write leaves the old file untouched.
 */
export function replaceAtomically(fs: StorageFs, path: string, text: string, sync: boolean): void {
  const tmp = `${path}.tmp`;
  writing(path, () => {
    fs.writeFile(tmp, text);
    if (sync) fs.fsync(tmp);
    fs.rename(tmp, path);
  });
}

/**
 * Appends through file descriptors kept open, one per file: an append is then one
 * `write` system call instead of open, write and close (the per-result cost of the
 * directory). With the plain node:fs operations only; a StorageFs whose appendFile
 * was replaced (a test's failing disk) gets every append through it, as before.
 * Owned by one writer for one run: `close()` at its end (a file deleted meanwhile
 * must be closed first, see `forget`, or the next append would go to the old one).
 */
/** Descriptors an Appenders keeps open at most (the running trials' files, the journal, decisions.jsonl). */
const MAX_OPEN = 64;

export class Appenders {
  private readonly fds = new Map<string, number>();
  /** Descriptors with a background fsync in flight: closed when it is done. */
  private readonly syncing = new Map<number, { closeAfter: boolean }>();
  private readonly direct: boolean;

  constructor(private readonly fs: StorageFs) {
    this.direct = fs.appendFile === nodeStorageFs.appendFile;
  }

  /** Appends `text` to `path` (created if missing); throws the raw fs error, like StorageFs. */
  append(path: string, text: string): void {
    if (!this.direct) {
      this.fs.appendFile(path, text);
      return;
    }
    let fd = this.fds.get(path);
    if (fd === undefined) {
      fd = openSync(path, "a");
      // At most MAX_OPEN kept (an experiment has a file or two per trial, thousands of trials): the least recently opened goes.
      if (this.fds.size >= MAX_OPEN) this.forget(this.fds.keys().next().value as string);
      this.fds.set(path, fd);
    }
    const buffer = Buffer.from(text);
    // writeSync may write less than asked (a signal, a nearly full disk): go on until all of it is out.
    for (let done = 0; done < buffer.length; ) done += writeSync(fd, buffer, done, buffer.length - done);
  }

  /** Flushes `path`'s data to the device (through the open descriptor when there is one). */
  fsync(path: string): void {
    const fd = this.fds.get(path);
    if (fd !== undefined) fsyncSync(fd);
    else this.fs.fsync(path);
  }

  /**
   * Starts flushing `path`'s data to the device off the event loop (the thread pool):
   * for a periodic fsync whose only job is to bound what a power loss can roll back,
   * so a slow disk does not stall the run. Nothing to do while one is in flight.
   */
  fsyncInBackground(path: string): void {
    const fd = this.fds.get(path);
    if (fd === undefined) {
      this.fs.fsync(path);
      return;
    }
    if (this.syncing.has(fd)) return;
    const entry = { closeAfter: false };
    this.syncing.set(fd, entry);
    fsync(fd, () => {
      this.syncing.delete(fd);
      if (entry.closeAfter) close(fd, () => {});
    });
  }

  /** Closes `path`'s descriptor (before the file is deleted or replaced); one with a background fsync in flight closes after it. */
  forget(path: string): void {
    const fd = this.fds.get(path);
    if (fd === undefined) return;
    this.fds.delete(path);
    const inFlight = this.syncing.get(fd);
    if (inFlight) inFlight.closeAfter = true;
    else closeSync(fd);
  }

  close(): void {
    for (const path of [...this.fds.keys()]) this.forget(path);
  }
}
