/**
 * Overhead of the process backend (issue 9, section 5). Prints `name=value` lines:
 *
 * (a) 2,000 trials x 10 no-op steps on all cores: `ms_per_result` (driver + IPC per
 *     result; target <= 1), against the in-process executor on the same workload
 *     in this process (`in_process_ms_per_result`, `process_vs_in_process`).
 * (b) 400 trials x 5 steps of a 50 ms sleep on all cores: `overhead_ratio` = wall
 *     time / (steps x 50 ms / workers) (target <= 1.03). The same workload in process
 *     pays the same timer overshoot (a 50 ms setTimeout wakes late), so
 *     `b_process_vs_in_process` is the backend's own share; `b_worker_start_ms` and
 *     `b_round_trip_ms_per_step` split it into the workers' start-up and the per-step
 *     round trips.
 * (c) trial start, fresh process against reused actor, for a Node and a Python
 *     trainable: `*_start_fresh_ms`, `*_start_reused_ms`: median ms from the
 *     executor's start() to the trial's first result (a no-op step).
 * (d) the experiment directory's cost (issue 10): (a)'s workload through the engine
 *     without a directory, with the durable state only (journal + snapshot), and with
 *     the whole directory (loggers too), interleaved, median of 3 each; per executor
 *     (processes, and in process: the worst case, where the loop's own cost is tiny).
 *     `dir_vs_none_*` and `state_vs_none_*`: ratios of ms per result (target <= 1.10).
 *     `dirsync_vs_none_*`: the whole directory with its per-trial files written on the
 *     event loop, as before they moved to the thread pool (an injected copy of node:fs
 *     keeps the logger synchronous), so the two are compared under the same load.
 *     `--backends process,in_process` picks the executors (default both).
 *     `--trainable sleep50` runs (b)'s trainable instead (5 steps of a 50 ms sleep, trial
 *     count / 5): the directory's cost against a step that does some work.
 *
 *   npx tsx benchmarks/perf/real-overhead.ts [--only a|b|c|d] [--scale 0.1] [--workers N (b only; default: all cores)]
 *
 * `--scale` shrinks the trial counts (for a quick look); the figures the issue asks
 * for are at scale 1. On a loaded machine every figure is inflated: compare the
 * ratios, and rerun when the machine is quiet.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { nodeStorageFs } from "../../core/experiment-dir/index.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultAlgorithms } from "../../algorithms/experiment-defaults.ts";
import { runExperiment } from "../../core/experiment/index.ts";
import type { ExecutorListener } from "../../core/contracts/index.ts";
import { uniform } from "../../core/space/index.ts";
import { InProcessExecutor } from "../../real-backend/in-process-executor.ts";
import { ProcessExecutor, type TrainableSource } from "../../real-backend/process/process-executor.ts";
import type { Trainable } from "../../real-backend/trainable.ts";
import { timed } from "./timed-trials.ts";
import { noop, sleep50 } from "./trainables/overhead.ts";
import { parseArgs } from "node:util";
import { OptionError } from "../../core/errors/index.ts";
import { median } from "../stats/index.ts";
import { numberFlag } from "../script-flags.ts";

const { values: flags } = parseArgs({ options: { only: { type: "string" }, scale: { type: "string" }, workers: { type: "string" }, trainable: { type: "string", default: "noop" }, backends: { type: "string", default: "process,in_process" } } });
if (flags.only !== undefined && !["a", "b", "c", "d"].includes(flags.only)) throw new OptionError("--only", `must be a, b, c or d, got ${JSON.stringify(flags.only)}`);
const only = flags.only;
const scale = numberFlag("scale", flags.scale, 1, { above: 0 });
const cores = availableParallelism();
// (b) only: fewer workers than cores leaves the driver a core of its own (how much of the overhead is contention).
const bWorkers = numberFlag("workers", flags.workers, cores, { integer: true, min: 1 });
const module = fileURLToPath(new URL("./trainables/overhead.ts", import.meta.url));
const python = fileURLToPath(new URL("./trainables/one_step.py", import.meta.url));
const space = { x: uniform(0, 1) };

function processExecutor(trainable: TrainableSource, workers: number, reuseActors?: boolean): { executor: ProcessExecutor; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "tunelab-bench-"));
  const executor = new ProcessExecutor({ trainable, seed: 0, experimentDir: dir, capacity: { cpu: workers, gpu: 0 }, ...(reuseActors !== undefined ? { reuseActors } : {}) });
  return { executor, dir };
}

/** With `firstResult`: ms from each trial's start() to its first result, in start order. */
async function onProcesses(trainable: TrainableSource, trials: number, workers: number, reuseActors?: boolean, firstResult?: Map<string, number>) {
  const { executor, dir } = processExecutor(trainable, workers, reuseActors);
  if (firstResult !== undefined) timeFirstResults(executor, firstResult);
  try {
    return await timed(executor, trials);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const inProcess = (trainable: Trainable, trials: number, workers: number) =>
  timed(new InProcessExecutor({ trainable, seed: 0, capacity: { cpu: workers, gpu: 0 } }), trials);

const n = (base: number) => Math.max(1, Math.round(base * scale));
console.log(`machine: cores=${cores} loadavg_1m=${(await import("node:os")).loadavg()[0]?.toFixed(1)} scale=${scale}`);

if (only === undefined || only === "a") {
  const trials = n(2000);
  await inProcess(noop, n(200), cores); // warm-up
  const base = await inProcess(noop, trials, cores);
  const proc = await onProcesses({ module, export: "noop" }, trials, cores);
  const ms = (proc.seconds * 1000) / proc.results;
  const baseMs = (base.seconds * 1000) / base.results;
  console.log(`a: ${trials} trials x 10 steps on ${cores} workers: ${proc.results} results in ${proc.seconds.toFixed(2)} s (in-process ${base.seconds.toFixed(2)} s)`);
  console.log(`ms_per_result=${ms.toFixed(3)}`);
  console.log(`in_process_ms_per_result=${baseMs.toFixed(3)}`);
  console.log(`process_vs_in_process=${(ms / baseMs).toFixed(2)}`);
}

if (only === undefined || only === "b") {
  const trials = n(400);
  const stepsPerWorker = (trials * 5) / bWorkers;
  const floor = stepsPerWorker * 0.05;
  const base = await inProcess(sleep50, trials, bWorkers);
  const firstResult = new Map<string, number>();
  const proc = await onProcesses({ module, export: "sleep50" }, trials, bWorkers, undefined, firstResult);
  // The workers' start-up: from start() to the first trial's first result, less its one 50 ms step.
  const startUpMs = Math.max(0, median([...firstResult.values()].slice(0, bWorkers)) - 50);
  const excess = (seconds: number) => ((seconds - floor) * 1000) / stepsPerWorker;
  console.log(`b: ${trials} trials x 5 steps x 50 ms on ${bWorkers} workers: ${proc.seconds.toFixed(2)} s, floor ${floor.toFixed(2)} s (in-process ${base.seconds.toFixed(2)} s)`);
  console.log(`overhead_ratio=${(proc.seconds / floor).toFixed(3)}`);
  console.log(`in_process_overhead_ratio=${(base.seconds / floor).toFixed(3)}`);
  // The backend's own cost: the in-process run pays the same timer overshoot (the trainable's setTimeout
  // wakes late), the same loop and searcher; what is left is the worker start-up and the round trips.
  console.log(`b_process_vs_in_process=${(proc.seconds / base.seconds).toFixed(3)}`);
  console.log(`b_excess_ms_per_step=${excess(proc.seconds).toFixed(3)}`);
  console.log(`b_in_process_excess_ms_per_step=${excess(base.seconds).toFixed(3)}`);
  console.log(`b_worker_start_ms=${startUpMs.toFixed(0)}`);
  console.log(`b_round_trip_ms_per_step=${((proc.seconds - base.seconds - startUpMs / 1000) * 1000 / stepsPerWorker).toFixed(3)}`);
}

if (only === undefined || only === "c") {
  const trials = n(20);
  const sources: [string, TrainableSource | undefined][] = [
    ["node", { module, export: "oneStep" }],
    ["python", existsSync("/usr/bin/python3") ? { command: ["/usr/bin/python3", python] } : undefined],
  ];
  for (const [name, source] of sources) {
    if (source === undefined) {
      console.log(`c: ${name} skipped (/usr/bin/python3 missing)`);
      continue;
    }
    const fresh = await startLatencies(source, trials, false);
    const reused = await startLatencies(source, trials + 1, true);
    // With reuse the first trial still spawns the one actor: leave it out.
    const reusedOnly = reused.slice(1);
    console.log(`c: ${name}: ${trials} one-step trials on one worker; ms from start() to the first result, median`);
    console.log(`${name}_start_fresh_ms=${median(fresh).toFixed(1)}`);
    console.log(`${name}_start_reused_ms=${median(reusedOnly).toFixed(1)}`);
    console.log(`${name}_start_saved_ratio=${(median(fresh) / median(reusedOnly)).toFixed(1)}`);
  }
}

if (only === undefined || only === "d") {
  const trainable = flags.trainable as "noop" | "sleep50";
  if (trainable !== "noop" && trainable !== "sleep50") throw new OptionError("--trainable", `must be noop or sleep50, got ${JSON.stringify(trainable)}`);
  const trials = trainable === "noop" ? n(2000) : n(400);
  const modes = ["none", "state", "dir", "dirsync"] as const;
  const backends = (flags.backends as string).split(",") as ("process" | "in_process")[];
  for (const b of backends) if (b !== "process" && b !== "in_process") throw new OptionError("--backends", `must list process and/or in_process, got ${JSON.stringify(b)}`);
  for (const backend of backends) {
    const ms: Record<(typeof modes)[number], number[]> = { none: [], state: [], dir: [], dirsync: [] };
    for (let round = 0; round < 3; round++) {
      for (const mode of modes) ms[mode].push(await throughEngine(backend, mode, trials, trainable));
    }
    const med = (xs: number[]) => median(xs);
    console.log(
      `d: ${backend}: ${trials} trials x ${trainable === "noop" ? "10 no-op steps" : "5 steps of 50 ms"} on ${cores} workers, ms per result (median of 3): none ${med(ms.none).toFixed(4)}, state ${med(ms.state).toFixed(4)}, dir ${med(ms.dir).toFixed(4)}, dirsync ${med(ms.dirsync).toFixed(4)}; loadavg_1m=${loadavg()[0]?.toFixed(1)}`,
    );
    console.log(`state_vs_none_${backend}=${(med(ms.state) / med(ms.none)).toFixed(3)}`);
    console.log(`dir_vs_none_${backend}=${(med(ms.dir) / med(ms.none)).toFixed(3)}`);
    console.log(`dirsync_vs_none_${backend}=${(med(ms.dirsync) / med(ms.none)).toFixed(3)}`);
    console.log(`dir_ms_per_result_extra_${backend}=${(med(ms.dir) - med(ms.none)).toFixed(4)}`);
  }
}

/** (d): ms per result of the noop workload through runExperiment, as tune() runs it, with no directory, the durable state only, or the whole directory. */
async function throughEngine(backend: "process" | "in_process", mode: "none" | "state" | "dir" | "dirsync", trials: number, trainable: "noop" | "sleep50" = "noop"): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), "tunelab-bench-"));
  const executor =
    backend === "process"
      ? new ProcessExecutor({ trainable: { module, export: trainable }, seed: 0, experimentDir: root, capacity: { cpu: cores, gpu: 0 } })
      : new InProcessExecutor({ trainable: trainable === "noop" ? noop : sleep50, seed: 0, capacity: { cpu: cores, gpu: 0 } });
  const options = {
    space,
    metric: "loss",
    mode: "min" as const,
    trials,
    maxIterations: null,
    resources: { cpu: 1, gpu: 0 },
    progress: false,
    ...(mode === "none" ? {} : { storagePath: join(root, "exp"), loggers: mode !== "state" }),
    // A copy of node:fs: the same calls, but the logger then keeps every write on the event loop.
    ...(mode === "dirsync" ? { storageFs: { ...nodeStorageFs } } : {}),
  };
  try {
    const run = await runExperiment({
      options,
      subject: { name: "noop" },
      subjectKind: "trainable",
      logging: { kind: "real", progress: false },
      defaults: defaultAlgorithms,
      origin: { kind: "code", trainable: backend === "process" ? "module" : "object" },
      executor: () => executor,
    });
    return (run.summary.wallSeconds * 1000) / run.summary.results;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Per trial (creation order): ms from the executor's start() to the trial's first result. */
async function startLatencies(source: TrainableSource, trials: number, reuseActors: boolean): Promise<number[]> {
  const { executor, dir } = processExecutor(source, 1, reuseActors);
  const latency = new Map<string, number>();
  timeFirstResults(executor, latency);
  try {
    await timed(executor, trials);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [...latency.values()];
}

/** Records into `latency` (in start order) the ms from each trial's start() to its first result. */
function timeFirstResults(executor: ProcessExecutor, latency: Map<string, number>): void {
  const startedAt = new Map<string, number>();
  const start = executor.start.bind(executor);
  executor.start = (trial, restoreFrom) => {
    if (!startedAt.has(trial.id)) {
      startedAt.set(trial.id, performance.now());
      latency.set(trial.id, Number.NaN);
    }
    start(trial, restoreFrom);
  };
  const setListener = executor.setListener.bind(executor);
  executor.setListener = (listener) =>
    setListener({
      ...bindAll(listener),
      onResult: (result) => {
        if (Number.isNaN(latency.get(result.trialId))) latency.set(result.trialId, performance.now() - (startedAt.get(result.trialId) ?? Number.NaN));
        listener.onResult(result);
      },
    });
}

function bindAll(listener: ExecutorListener): ExecutorListener {
  return {
    onResult: (r) => listener.onResult(r),
    onCheckpointed: (c) => listener.onCheckpointed(c),
    onFailed: (id, recoverable, reason) => listener.onFailed(id, recoverable, reason),
    onNodeAdded: (id) => listener.onNodeAdded(id),
    onNodeLost: (id) => listener.onNodeLost(id),
    onPreemptionNotice: (id, trials, seconds) => listener.onPreemptionNotice(id, trials, seconds),
  };
}

