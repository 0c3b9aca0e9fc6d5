import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { Scheduler, Searcher, TrialView } from "../../core/contracts/index.ts";
import type { Space } from "../../core/space/index.ts";
import { tune } from "../../real-backend/index.ts";

/** The tfjs Fashion-MNIST trainable every benchmark run trains, one worker process per trial. */
export const FASHION_MNIST_TRAINABLE = resolve(import.meta.dirname, "../../tfjs/fashion-mnist/trainable.ts");
export const ACCURACY = "accuracy";
export const maximiseAccuracy = { metric: ACCURACY, mode: "max" } as const;

export interface LiveRunOptions {
  /** The run's name, e.g. "random+fifo-seed0"; its experiment directory is `dir`. */
  readonly name: string;
  /** Emptied first: a benchmark run is always a fresh recording. */
  readonly dir: string;
  readonly space: Space;
  readonly searcher: Searcher;
  readonly scheduler: Scheduler;
  readonly seed: number;
  readonly trials: number;
  readonly maxIterations: number;
  /** Trials at a time: each holds one CPU of this many. */
  readonly cpus: number;
  /** A real wall-clock budget; left out, the run ends when every trial has. */
  readonly budgetSeconds?: number;
}

export interface LiveRunResult {
  readonly trials: readonly TrialView[];
  /** Best validation accuracy of any trial at any iteration. */
  readonly best: number;
  /** Sum of every step's `step_cpu_seconds` (the worker's CPU time during the step; start-up and the driver not counted). */
  readonly cpu: number;
  readonly wall: number;
  /** Epochs (steps) trained, over all trials: a cost that the machine's load does not change. */
  readonly results: number;
  readonly failed: readonly TrialView[];
}

/** One live tune() run of the Fashion-MNIST trainable in worker processes, measured. */
export async function liveFashionMnistRun(o: LiveRunOptions): Promise<LiveRunResult> {
  rmSync(o.dir, { recursive: true, force: true });
  mkdirSync(o.dir, { recursive: true });
  const started = performance.now();
  const out = await tune({
    trainable: { module: FASHION_MNIST_TRAINABLE },
    name: o.name,
    storagePath: o.dir,
    space: o.space,
    ...maximiseAccuracy,
    trials: o.trials,
    ...(o.budgetSeconds !== undefined ? { budget: { seconds: o.budgetSeconds } } : {}),
    searcher: o.searcher,
    scheduler: o.scheduler,
    seed: o.seed,
    maxIterations: o.maxIterations,
    resources: { cpu: 1, gpu: 0 },
    capacity: { cpu: o.cpus, gpu: 0 },
    progress: false,
  });
  const result: LiveRunResult = {
    trials: out.trials,
    best: bestAccuracy(out.trials),
    cpu: cpuSeconds(out.trials),
    wall: (performance.now() - started) / 1000,
    results: out.trials.reduce((n, t) => n + t.history.length, 0),
    failed: out.trials.filter((t) => t.status === "ERROR"),
  };
  console.log(
    `run method=${o.name.replace(/-seed\d+$/, "")} seed=${o.seed} best_accuracy=${result.best.toFixed(4)} cpu_s=${result.cpu.toFixed(1)} wall_s=${result.wall.toFixed(1)} ` +
      `trials=${out.trials.length} results=${result.results} failed=${result.failed.length} dir=${o.dir}`,
  );
  for (const t of result.failed) console.log(`  ${t.id} failed: ${t.errorMessage}`);
  return result;
}

export function bestAccuracy(trials: readonly TrialView[]): number {
  let best = 0;
  for (const t of trials) for (const r of t.history) best = Math.max(best, Number(r.metrics[ACCURACY] ?? 0));
  return best;
}

export function cpuSeconds(trials: readonly TrialView[]): number {
  let sum = 0;
  for (const t of trials) for (const r of t.history) sum += Number(r.metrics["step_cpu_seconds"] ?? 0);
  return sum;
}
