/**
 * The worker-thread entry of the runner's pool (piscina): imports the modules that
 * register extra benchmarks, then runs one cell. It runs TypeScript because runGrid
 * starts the threads with tsx's loader (see importRegistrations for its limit).
 */
import { createRequire } from "node:module";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread, type MessagePort } from "node:worker_threads";
import type { Suite } from "../../benchmarks/suites/index.ts";
import { cellKey, runCell, type CellRecord, type CellSpec } from "./cell.ts";

/**
 * Cells one thread runs in a row: every method on one benchmark with one seed. Methods
 * that draw the same configurations (random search under FIFO, ASHA and PBT: its
 * suggestions depend on the seed alone) then find their curves in the benchmark's
 * cache from the cell before, instead of asking the surrogate again.
 */
export interface CellTask {
  readonly specs: readonly CellSpec[];
  /** The suite itself: it is plain data, so a suite defined anywhere (a test, a user module) runs as it is. */
  readonly suite: Suite;
  /** Module URLs to import first (registrations); imported once per worker. */
  readonly modules: readonly string[];
}

/** What a worker posts on its task's port: a cell starting (the runner's watchdog arms), or a cell's record as it ends. */
export type WorkerMessage = { readonly started: string } | CellRecord;

const imported = new Set<string>();

const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);

/**
 * Imports each module URL once. On Node 20, tsx hooks `import()` in the main thread
 * only: in a worker thread it compiles TypeScript through `require` alone (piscina
 * loads this file that way), and `import()` of a .ts file fails with "Unknown file
 * extension". A TypeScript module is therefore required there, which also shares
 * this thread's module instances (the benchmark registry it registers into).
 */
export async function importRegistrations(modules: readonly string[]): Promise<void> {
  for (const url of modules) {
    if (imported.has(url)) continue;
    if (!isMainThread && url.startsWith("file:") && TYPESCRIPT.has(extname(fileURLToPath(url)))) {
      createRequire(import.meta.url)(fileURLToPath(url));
    } else {
      await import(url);
    }
    imported.add(url);
  }
}

/**
 * Runs the task's cells in order; each record goes to `report` as its cell ends
 * (the pool passes a MessagePort, so the grid appends and shows it at once).
 */
export default async function runTask(task: CellTask & { readonly port?: MessagePort; readonly measureCpu?: boolean }, report?: (record: CellRecord) => void): Promise<CellRecord[]> {
  await importRegistrations(task.modules);
  const records: CellRecord[] = [];
  for (const spec of task.specs) {
    task.port?.postMessage({ started: cellKey(spec) } satisfies WorkerMessage);
    const record = await runCell(spec, task.suite, { measureCpu: task.measureCpu === true });
    records.push(record);
    report?.(record);
    task.port?.postMessage(record);
  }
  task.port?.close();
  return records;
}
