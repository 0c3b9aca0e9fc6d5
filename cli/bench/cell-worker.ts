/**
 * The worker-thread entry of the runner's pool (piscina): imports the modules that
 * register extra benchmarks, then runs one cell. It runs TypeScript because
 * worker threads inherit the main thread's tsx loader (see runGrid).
 */
import type { SuiteDefinition } from "../../benchmarks/suites/index.ts";
import { runCell, type CellRecord, type CellSpec } from "./cell.ts";

export interface CellTask {
  readonly spec: CellSpec;
  /** The suite itself: it is plain data, so a suite defined anywhere (a test, a user module) runs as it is. */
  readonly suite: SuiteDefinition;
  /** Module URLs to import first (registrations); imported once per worker. */
  readonly modules: readonly string[];
}

const imported = new Set<string>();

export async function importRegistrations(modules: readonly string[]): Promise<void> {
  for (const url of modules) {
    if (imported.has(url)) continue;
    await import(url);
    imported.add(url);
  }
}

export default async function runTask(task: CellTask): Promise<CellRecord> {
  await importRegistrations(task.modules);
  return runCell(task.spec, task.suite);
}
