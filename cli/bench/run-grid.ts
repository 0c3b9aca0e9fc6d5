import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { OptionError } from "../../core/contracts/index.ts";
import { isPaperCheckSuite, PAPER_METHOD, type Suite } from "../../benchmarks/suites/index.ts";
import { cellKey, type CellRecord, type CellSpec } from "./cell.ts";
import { CellStore } from "./cell-store.ts";
import runTask, { importRegistrations, type CellTask, type WorkerMessage } from "./cell-worker.ts";
import { gridProgressFor } from "./progress.ts";
import type { ProgressStream } from "../../core/progress/index.ts";

export interface GridOptions {
  suite: Suite;
  /** `searcher:scheduler` pairs (a paper-check suite: ignored, each group runs its own). */
  methods: readonly string[];
  /** Seeds 0..seeds-1. */
  seeds: number;
  /** Output directory (cells.jsonl lives there; a rerun resumes). */
  out: string;
  /** Worker threads; 0 runs the cells one by one in this thread. @defaultValue os.availableParallelism() */
  threads?: number;
  /** Module URLs that register benchmarks or suites, imported in every worker. */
  modules?: readonly string[];
  /** Live progress on stderr: "auto" on a terminal only, true forces it (plain lines elsewhere), false never. @defaultValue "auto" */
  progress?: boolean | "auto";
  /** Where progress goes. @defaultValue process.stderr */
  progressStream?: ProgressStream;
  /**
   * Wall seconds one cell may run on a pool thread. Past it the cell is recorded as
   * failed, its thread is stopped (piscina replaces it), and the rest of its group runs
   * again on another thread: a stuck cell costs its own result, not a thread for the
   * rest of the grid. A cell takes seconds idle; the default leaves room for a loaded
   * machine. Not enforced with `threads: 0` (a cell in this thread cannot be stopped).
   * @defaultValue DEFAULT_CELL_TIMEOUT_SECONDS
   */
  cellTimeoutSeconds?: number;
}

/** 10 minutes: over 100 times an idle cell's few seconds (an LCBench gp:fifo cell, the dearest, takes ~5 s). */
export const DEFAULT_CELL_TIMEOUT_SECONDS = 600;

export interface GridRun {
  /** Every cell of the grid, old and new, in grid order. */
  records: CellRecord[];
  /** Cells computed by this call (the rest were already in the output). */
  computed: number;
  wallSeconds: number;
  /** Cells per second of wall time, this call's cells only. */
  cellsPerSecond: number;
}

/**
 * The grid methods x benchmarks x seeds, benchmark-major so early cells cover every method.
 * A paper-check suite's grid is one cell per check group (each runs its paper's methods and
 * seeds itself), whatever `methods` and `seeds` say.
 */
export function gridCells(suite: Suite, methods: readonly string[], seeds: number): CellSpec[] {
  if (isPaperCheckSuite(suite)) return suite.benchmarks.map((group) => ({ suite: suite.name, method: PAPER_METHOD, benchmark: group, seed: 0 }));
  if (!Number.isInteger(seeds) || seeds < 1) throw new OptionError("seeds", `must be an integer >= 1, got ${seeds}`);
  if (methods.length === 0) throw new OptionError("methods", "must name at least one searcher:scheduler pair");
  const cells: CellSpec[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    for (const benchmark of suite.benchmarks) for (const method of methods) cells.push({ suite: suite.name, method, benchmark, seed });
  }
  return cells;
}

/** A recorded cell that this grid need not compute again: it finished (with the same statistical seeds, for a paper check). */
function isDone(record: CellRecord | undefined, suite: Suite): boolean {
  if (record?.ok !== true) return false;
  return !isPaperCheckSuite(suite) || ("checkSeeds" in record && record.checkSeeds === suite.checkSeeds);
}

/** Cells grouped by benchmark and seed, in grid order (see CellTask). */
export function groupCells(cells: readonly CellSpec[]): CellSpec[][] {
  const groups = new Map<string, CellSpec[]>();
  for (const cell of cells) {
    const key = `${cell.benchmark}|${cell.seed}`;
    const group = groups.get(key);
    if (group) group.push(cell);
    else groups.set(key, [cell]);
  }
  return [...groups.values()];
}

/**
 * Runs a suite's grid on a worker-thread pool, appending each finished cell to
 * `out/cells.jsonl` as it ends; cells already there (successful) are not recomputed.
 * A cell that throws, or whose worker dies, is recorded as a failed cell.
 */
export async function runGrid(options: GridOptions): Promise<GridRun> {
  const started = performance.now();
  const cells = gridCells(options.suite, options.methods, options.seeds);
  const store = new CellStore(options.out);
  const previous = store.read();
  const todo = cells.filter((c) => !isDone(previous.get(cellKey(c)), options.suite));
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 0) throw new OptionError("threads", `must be an integer >= 0, got ${threads}`);
  const modules = options.modules ?? [];
  const cellTimeout = options.cellTimeoutSeconds ?? DEFAULT_CELL_TIMEOUT_SECONDS;
  if (!(cellTimeout > 0)) throw new OptionError("cellTimeoutSeconds", `must be a number > 0, got ${cellTimeout}`);
  const groups = groupCells(todo);
  // Cells handed to a thread and not finished: one per busy thread (a thread runs its group's cells in a row).
  let busy = 0;
  let groupsLeft = groups.length;
  let pool: Piscina<CellTask, CellRecord[]> | undefined;
  const progress = gridProgressFor(options.progress ?? "auto", `bench ${options.suite.name}`, cells.length, cells.length - todo.length, {
    ...(options.progressStream ? { stream: options.progressStream } : {}),
    running: () => (pool ? Math.max(0, Math.min(threads, groupsLeft - pool.queueSize)) : busy),
  });
  const fresh = new Map<string, CellRecord>();
  const record = (result: CellRecord) => {
    if (fresh.has(result.key)) return;
    store.append(result);
    fresh.set(result.key, result);
    progress?.tick(result.ok);
  };
  const failure = (spec: CellSpec, error: unknown): CellRecord => ({
    ...spec,
    key: cellKey(spec),
    ok: false,
    error: error instanceof Error ? error.message : String(error),
    wallSeconds: 0,
  });

  try {
    if (threads === 0) {
      await importRegistrations(modules);
      busy = 1;
      for (const specs of groups) {
        // Alone in the process, a cell's CPU-seconds are its own: recorded for the cost table.
        const task = { specs, suite: options.suite, modules, measureCpu: true };
        await runTask(task, record).catch((error: unknown) => specs.forEach((spec) => record(failure(spec, error))));
      }
    } else if (todo.length > 0) {
      pool = new Piscina<CellTask, CellRecord[]>({
        // The source in a checkout; the compiled file in the installed package.
        filename: (existsSync(fileURLToPath(new URL("./cell-worker.ts", import.meta.url))) ? new URL("./cell-worker.ts", import.meta.url) : new URL("./cell-worker.js", import.meta.url)).href,
        maxThreads: threads,
        minThreads: Math.min(threads, groups.length),
        // Workers inherit the main thread's flags; under bin/tunelab.js (tsx's register API) they need tsx's loader themselves.
        execArgv: process.execArgv.some((a) => a.includes("tsx")) ? process.execArgv : [...process.execArgv, "--import", "tsx"],
      });
      const running = pool;
      /**
       * Runs a group on the pool. A watchdog arms as each of its cells starts (the worker
       * says so on the port) and fires after `cellTimeout`: it aborts the task, which
       * stops the thread; the stuck cell is recorded failed and the cells after it run
       * again as a group of their own.
       */
      const runGroup = async (specs: readonly CellSpec[]): Promise<void> => {
        // Each cell's record arrives on the port as it ends; the task's result repeats them (and covers a port message still in flight).
        const { port1, port2 } = new MessageChannel();
        const abort = new AbortController();
        let watchdog: NodeJS.Timeout | undefined;
        let stuck: CellSpec | undefined;
        port1.on("message", (message: WorkerMessage) => {
          clearTimeout(watchdog);
          if ("started" in message) {
            const spec = specs.find((c) => cellKey(c) === message.started);
            watchdog = setTimeout(() => {
              stuck = spec;
              abort.abort();
            }, cellTimeout * 1000);
          } else record(message);
        });
        const task = { specs, suite: options.suite, modules, port: port2 };
        try {
          (await running.run(task, { transferList: [port2], signal: abort.signal })).forEach(record);
        } catch (error) {
          if (stuck === undefined) {
            specs.forEach((spec) => record(failure(spec, error)));
            return;
          }
          record(failure(stuck, `timed out: ran over ${cellTimeout} s of wall time (its thread was stopped)`));
          const rest = specs.filter((spec) => !fresh.has(cellKey(spec)));
          if (rest.length > 0) await runGroup(rest);
        } finally {
          clearTimeout(watchdog);
          port1.close();
        }
      };
      try {
        await Promise.all(
          groups.map((specs) =>
            runGroup(specs).finally(() => {
              groupsLeft--;
            }),
          ),
        );
      } finally {
        await running.destroy();
      }
    }
  } finally {
    busy = 0;
    // Also when a cell's pool fails: the live display gives the terminal back its cursor.
    progress?.finish();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  return {
    records: cells.map((c) => (fresh.get(cellKey(c)) ?? previous.get(cellKey(c))) as CellRecord),
    computed: todo.length,
    wallSeconds,
    cellsPerSecond: todo.length / Math.max(1e-9, wallSeconds),
  };
}
