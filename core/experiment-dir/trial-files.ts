import { promises as fsp, writeSync } from "node:fs";
import { PARAMS_FILE, PROGRESS_CSV, RESULT_FILE, trialDir, trialFile } from "./layout.ts";
import { storageError } from "./storage-fs.ts";

/** A trial's user-facing files this writer keeps open (params.json is written once and closed). */
export type TrialFileName = typeof RESULT_FILE | typeof PROGRESS_CSV;

/** Trials whose files stay open at most; the least recently written one's are closed first (reopened when written again). */
const MAX_OPEN_TRIALS = 128;

export interface TrialQueue {
  /** The trial's operations, run one after another on libuv's thread pool. */
  tail: Promise<void>;
  /** Lines buffered since the last `flush`, per file. */
  readonly buffered: Map<TrialFileName, string[]>;
  readonly handles: Map<TrialFileName, fsp.FileHandle>;
  /** Operations queued and not yet done. */
  busy: number;
}

/**
 * The per-trial files (the trial's directory, params.json, result.jsonl, progress.csv)
 * written off the event loop: each trial has a queue of file operations that run in
 * order on libuv's thread pool (fs.promises), and the loop only enqueues them. The
 * directory and params.json are made as soon as the trial is created, ahead of its
 * first result; results are appended through handles kept open.
 *
 * These files are views: the experiment's journal (durable-state.ts) is what a resume
 * reads, and it is written synchronously before the next event. So a driver killed
 * while an operation is queued leaves a trial's files behind the journal, never ahead
 * of it, and the resumed logger rebuilds what lags from the journal (see
 * ExperimentLogger.adoptTrials). A failed operation is remembered in `failure`, naming
 * the path; the engine reads it after each event and at the end.
 */
export class TrialFileWriter {
  private readonly queues = new Map<string, TrialQueue>();
  /** Trials with open handles, least recently written first. */
  private readonly openOrder = new Set<string>();
  failure: Error | undefined;

  constructor(readonly dir: string) {}

  /**
   * Makes the trial's directory, writes params.json and opens result.jsonl and
   * progress.csv empty (truncating files an earlier session left for a trial its
   * journal never committed: their results were not kept, and will be re-done).
   */
  create(trialId: string, paramsText: string): void {
    this.run(trialId, trialDir(this.dir, trialId), async (queue) => {
      await fsp.mkdir(trialDir(this.dir, trialId), { recursive: true });
      await fsp.writeFile(trialFile(this.dir, trialId, PARAMS_FILE), paramsText);
      await closeAll(queue);
      for (const file of [RESULT_FILE, PROGRESS_CSV] as const) queue.handles.set(file, await fsp.open(trialFile(this.dir, trialId, file), "w"));
    });
    this.touch(trialId);
  }

  /** Buffers `text` for the end of `file`; it goes out at the next `flush`. */
  append(trialId: string, file: TrialFileName, text: string): void {
    const queue = this.queue(trialId);
    const lines = queue.buffered.get(file);
    if (lines) lines.push(text);
    else queue.buffered.set(file, [text]);
  }

  /** Replaces `file` whole (after what is queued for the trial): `text`, or what `make` returns when its turn comes (it may read the trial's other files, whose earlier writes are done by then). */
  replace(trialId: string, file: TrialFileName | typeof PARAMS_FILE, text: string | (() => Promise<string>)): void {
    this.flushTrial(trialId);
    const path = trialFile(this.dir, trialId, file);
    this.run(trialId, path, async (queue) => {
      const handle = file === PARAMS_FILE ? undefined : queue.handles.get(file);
      if (handle && file !== PARAMS_FILE) {
        queue.handles.delete(file);
        await handle.close();
      }
      const body = typeof text === "string" ? text : await text();
      // A rename, so a driver killed meanwhile leaves the old file or the new one.
      await fsp.mkdir(trialDir(this.dir, trialId), { recursive: true });
      await fsp.writeFile(`${path}.tmp`, body);
      await fsp.rename(`${path}.tmp`, path);
    });
  }

  /** Enqueues every buffered line: one write per file. */
  flush(): void {
    for (const trialId of this.queues.keys()) this.flushTrial(trialId);
  }

  /** Closes the trial's handles once its queued writes are done (it ended). */
  end(trialId: string): void {
    this.flushTrial(trialId);
    const queue = this.queues.get(trialId);
    if (!queue) return;
    this.run(trialId, trialDir(this.dir, trialId), (q) => closeAll(q));
    this.openOrder.delete(trialId);
  }

  /** Resolves when everything enqueued so far is written (and anything enqueued meanwhile). */
  async drain(): Promise<void> {
    this.flush();
    for (;;) {
      const tails = [...this.queues.values()].map((q) => q.tail);
      await Promise.all(tails);
      if ([...this.queues.values()].every((q, i) => q.tail === tails[i]) && tails.length === this.queues.size) return;
    }
  }

  /** Drains, then closes every handle. */
  async close(): Promise<void> {
    await this.drain();
    await Promise.all([...this.queues.values()].map((q) => closeAll(q)));
    this.openOrder.clear();
  }

  private flushTrial(trialId: string): void {
    const queue = this.queues.get(trialId);
    if (!queue || queue.buffered.size === 0) return;
    for (const [file, lines] of queue.buffered) {
      const text = lines.length === 1 ? (lines[0] as string) : lines.join("");
      const path = trialFile(this.dir, trialId, file);
      const open = queue.handles.get(file);
      if (open && queue.busy === 0 && !this.failure) {
        // Nothing queued ahead of it and the file is open: one write(2) to an open descriptor is cheaper on the loop than a round trip through the thread pool (the costly calls, mkdir and creating files, are what the queue takes off the loop).
        try {
          const buffer = Buffer.from(text);
          for (let done = 0; done < buffer.length; ) done += writeSync(open.fd, buffer, done, buffer.length - done);
        } catch (error) {
          this.failure ??= storageError(path, error);
        }
        continue;
      }
      this.run(trialId, path, async (q) => {
        let handle = q.handles.get(file);
        if (!handle) {
          handle = await fsp.open(path, "a");
          q.handles.set(file, handle);
        }
        await handle.appendFile(text);
      });
    }
    queue.buffered.clear();
    this.touch(trialId);
  }

  /** Marks the trial's handles as just used; past MAX_OPEN_TRIALS the longest unused trial's close (after its queued writes). */
  private touch(trialId: string): void {
    this.openOrder.delete(trialId);
    this.openOrder.add(trialId);
    if (this.openOrder.size <= MAX_OPEN_TRIALS) return;
    const oldest = this.openOrder.keys().next().value as string;
    this.openOrder.delete(oldest);
    this.run(oldest, trialDir(this.dir, oldest), (q) => closeAll(q));
  }

  private queue(trialId: string): TrialQueue {
    let queue = this.queues.get(trialId);
    if (!queue) {
      queue = { tail: Promise.resolve(), buffered: new Map(), handles: new Map(), busy: 0 };
      this.queues.set(trialId, queue);
    }
    return queue;
  }

  /** Appends `op` to the trial's queue (after its buffered lines); after a failure nothing more is written (the run is ending with it). */
  enqueue(trialId: string, path: string, op: (queue: TrialQueue) => Promise<void>): void {
    this.flushTrial(trialId);
    this.run(trialId, path, op);
  }

  private run(trialId: string, path: string, op: (queue: TrialQueue) => Promise<void>): void {
    const queue = this.queue(trialId);
    queue.busy++;
    queue.tail = queue.tail.then(async () => {
      try {
        if (!this.failure) await op(queue);
      } catch (error) {
        this.failure ??= storageError(path, error);
      } finally {
        queue.busy--;
      }
    });
  }
}

async function closeAll(queue: TrialQueue): Promise<void> {
  const handles = [...queue.handles.values()];
  queue.handles.clear();
  await Promise.all(handles.map((h) => h.close()));
}
