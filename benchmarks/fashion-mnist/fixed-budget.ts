/**
 * The fixed-budget Fashion-MNIST runs (asha-check.ts, equal-budget.ts) share one
 * setting, so recordings from different sessions and scripts compare: 32 trials,
 * the MLP, 2,048 training rows and 1,000 validation rows, one step = one epoch,
 * 12 epochs, 2 trials at a time; and one directory layout, `<out>/<method>-seed<s>`.
 * The random+FIFO recordings (`fifo-seed<s>`) are the baseline every comparison
 * replays or cuts.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import type { Objective, Scheduler, TrialView } from "../../core/contracts/index.ts";
import { loadExperiment, recordedObjective } from "../../results/index.ts";
import { simulate } from "../../simulator/index.ts";
import { ACCURACY, bestAccuracy, cpuSeconds, maximiseAccuracy } from "./live-run.ts";
import { fashionMnistSpace } from "./space.ts";

export const TRIALS = 32;
export const EPOCHS = 12;
export const CPUS = 2;
export const FIXED_SIZES = { trainRows: 2048, validationRows: 1000, batchesPerStep: 0, models: ["mlp"] } as const;
export const fixedSpace = fashionMnistSpace(FIXED_SIZES);
export const DEFAULT_OUT = "/work/recordings/fashion-mnist-asha-check";

/** `<out>/<method>-seed<s>`; the random+FIFO recording is `fifo-seed<s>`. */
export const runDir = (outDir: string, method: string, seed: number): string => join(outDir, `${method}-seed${seed}`);

/** Seeds with a directory `<method>-seed<s>` under outDir, ascending. */
export function recordedSeeds(outDir: string, method: string): number[] {
  if (!existsSync(outDir)) return [];
  const pattern = new RegExp(`^${method.replace(/[+]/g, "\\+")}-seed(\\d+)$`);
  return readdirSync(outDir)
    .map((d) => pattern.exec(d)?.[1])
    .filter((d): d is string => d !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Trials of a FIFO recording that ran all EPOCHS, counted from t00000 up to the first that did not:
 * 32 for a finished recording. Random search proposes configs in order, so the first k trials of a
 * recording are exactly what random search with `trials: k` proposes: a recording cut short still
 * measures random search with k trials.
 */
export function completePrefix(dir: string): number {
  const byId = new Map(loadExperiment(dir).trials.map((t) => [t.id, t.results.length]));
  let k = 0;
  while (k < TRIALS && (byId.get(`t${String(k).padStart(5, "0")}`) ?? 0) >= EPOCHS) k++;
  return k;
}

export interface Replayed {
  readonly trials: readonly TrialView[];
  readonly best: number;
  readonly cpu: number;
  /** Epochs trained over all trials. */
  readonly results: number;
}

/**
 * Random search with seed s and `trials` trials under `scheduler`, replayed on seed s's FIFO recording
 * (`recordingDir`): each step takes its recorded CPU-seconds on one of CPUS slots. Exact for any
 * scheduler that only stops, pauses or resumes trials, because random search proposes the same configs
 * whatever the scheduler and a trial's training is a deterministic function of its config and stream.
 */
export function replayRecording(recordingDir: string, seed: number, scheduler: Scheduler, trials: number): Replayed {
  const recorded = recordedObjective(recordingDir); // unrecorded configs are errors: the searcher must propose exactly the recorded ones
  const objective: Objective = {
    ...recorded,
    step(state, config, context) {
      const out = recorded.step(state as never, config, context);
      return { ...out, seconds: out.metrics["step_cpu_seconds"] as number };
    },
  };
  const run = simulate({
    objective,
    space: fixedSpace,
    ...maximiseAccuracy,
    trials,
    maxIterations: EPOCHS,
    seed,
    searcher: new RandomSearch(fixedSpace, { ...maximiseAccuracy, seed }),
    scheduler,
    resources: { cpu: 1, gpu: 0 },
    cluster: { nodeTypes: [{ name: "cpu", count: 1, cpus: CPUS, gpus: 0 }] },
  });
  const failed = run.trials.filter((t) => t.status === "ERROR");
  if (failed.length > 0) throw new Error(`replay of ${recordingDir}: ${failed.length} trials failed, first: ${failed[0]?.errorMessage}`);
  return { trials: run.trials, best: bestAccuracy(run.trials), cpu: cpuSeconds(run.trials), results: run.trials.reduce((n, t) => n + t.history.length, 0) };
}

/** CPU-seconds of the steps finished (in the order results arrived) up to the first result at or above `target`; Infinity if none. */
export function cpuToReach(trials: readonly TrialView[], target: number): number {
  const rows = trials.flatMap((t) => t.history).sort((a, b) => a.time - b.time);
  let sum = 0;
  for (const r of rows) {
    sum += Number(r.metrics["step_cpu_seconds"] ?? 0);
    if (Number(r.metrics[ACCURACY]) >= target) return sum;
  }
  return Number.POSITIVE_INFINITY;
}

/** Wall seconds of a recorded live run: the arrival time of its last result (seconds since the experiment started). */
export function recordedWallSeconds(dir: string): number {
  let last = 0;
  for (const t of loadExperiment(dir).trials) for (const r of t.results) last = Math.max(last, r.time);
  return last;
}

export interface DirMeasure {
  readonly best: number;
  /** Best accuracy among the trials' last results: for PBT, the final population's best member. */
  readonly finalBest: number;
  /** Every step's `step_cpu_seconds`, re-done steps included (they cost CPU too). */
  readonly cpu: number;
  /** Steps (epochs) trained, re-done ones included. */
  readonly results: number;
  readonly wall: number;
  readonly trials: number;
}

/** Best accuracy, CPU-seconds, epochs and wall time of a live run's experiment directory. */
export function measureDir(dir: string): DirMeasure {
  const experiment = loadExperiment(dir);
  let best = 0;
  let finalBest = 0;
  let wall = 0;
  let cpu = 0;
  let results = 0;
  for (const t of experiment.trials) {
    for (const r of t.results) {
      best = Math.max(best, Number(r.metrics[ACCURACY] ?? 0));
      wall = Math.max(wall, r.time);
    }
    finalBest = Math.max(finalBest, Number(t.results.at(-1)?.metrics[ACCURACY] ?? 0));
    // The raw lines: a step re-done after a restore is dropped from `results` but its CPU was spent.
    const path = join(dir, t.id, "result.jsonl");
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      let parsed: { type?: string; metrics?: Record<string, number> };
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        continue; // a run still writing: its last line may be torn
      }
      if (parsed.type === "restart" || parsed.metrics === undefined) continue;
      cpu += parsed.metrics["step_cpu_seconds"] ?? 0;
      results++;
    }
  }
  return { best, finalBest, cpu, results, wall, trials: experiment.trials.length };
}
