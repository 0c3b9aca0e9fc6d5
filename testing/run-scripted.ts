import { RandomSearch } from "../algorithms/searchers/index.ts";
import type { Mode, Scheduler, Searcher, TrialView } from "../core/contracts/index.ts";
import { uniform, type Space } from "../core/space/index.ts";
import { mulberry32 } from "../core/space/_internals/mulberry32.ts";
import { MaximumIterationStopper } from "../core/stoppers/index.ts";
import { TuneLoop } from "../core/tune-loop.ts";
import type { ScriptStep } from "./event-script.ts";
import { ScriptedExecutor } from "./scripted-executor.ts";

/** Small deterministic PRNG (the space module's mulberry32) for metric streams and arrival orders. */
export const mulberry = mulberry32;

export interface ScriptedRunOptions {
  scheduler: Scheduler;
  trials: number;
  workers: number;
  /** Seeds the searcher, the metric values and (without a script) the arrival order. */
  seed: number;
  mode?: Mode;
  /** @defaultValue "loss" */
  metric?: string;
  /** Trials stop at this iteration (a MaximumIterationStopper). @defaultValue no limit */
  maxIterations?: number;
  /** Event order and failures; without one, a random order drawn from `seed`. */
  script?: readonly ScriptStep[];
  /** Failures a trial may have before ERROR (the loop's maxFailures). @defaultValue 0 */
  maxFailures?: number;
  /** Space the trials' configs are drawn from. @defaultValue { x: uniform(0, 1) } */
  space?: Space;
  /** The searcher proposing the trials. @defaultValue RandomSearch over `space`, seeded with `seed` */
  searcher?: Searcher;
  /** Metric of a trial at an iteration. @defaultValue a seeded uniform value per (trial, iteration) */
  metricAt?: (trial: TrialView, iteration: number) => number;
  secondsOf?: (trial: TrialView) => number;
  /** Ends the run with an error after this many events (a loop that never finishes). @defaultValue unlimited */
  maxEvents?: number;
}

export interface ScriptedRun {
  loop: TuneLoop;
  executor: ScriptedExecutor;
}

/** Seeded metric values, one per (trial index, iteration), the same whatever the order they are asked in. */
export function seededMetric(seed: number): (trial: TrialView, iteration: number) => number {
  const rng = mulberry(seed * 2 + 1);
  const cache = new Map<string, number>();
  return (trial, iteration) => {
    const key = `${trial.index}:${iteration}`;
    let v = cache.get(key);
    if (v === undefined) {
      v = rng();
      cache.set(key, v);
    }
    return v;
  };
}

/** Builds the real TuneLoop around `scheduler` and a ScriptedExecutor, without running it. */
export function scriptedLoop(options: ScriptedRunOptions): ScriptedRun {
  const metric = options.metric ?? "loss";
  const arrival = mulberry(options.seed * 2 + 2);
  const executor = new ScriptedExecutor({
    workers: options.workers,
    metric,
    metricAt: options.metricAt ?? seededMetric(options.seed),
    ...(options.script ? { script: options.script } : { pickAfterScript: (n: number) => Math.floor(arrival() * n) }),
    ...(options.secondsOf ? { secondsOf: options.secondsOf } : {}),
  });
  const mode = options.mode ?? "min";
  const space = options.space ?? { x: uniform(0, 1) };
  const loop = new TuneLoop({
    searcher: options.searcher ?? new RandomSearch(space, { metric, mode, seed: options.seed }),
    scheduler: options.scheduler,
    executor,
    metric,
    mode,
    trials: options.trials,
    maxFailures: options.maxFailures ?? 0,
    ...(options.maxIterations !== undefined ? { stoppers: [new MaximumIterationStopper(options.maxIterations)] } : {}),
  });
  return { loop, executor };
}

/** Runs `scheduler` in the real TuneLoop on a ScriptedExecutor until the experiment ends. */
export function runScripted(options: ScriptedRunOptions): ScriptedRun {
  const run = scriptedLoop(options);
  run.loop.begin();
  run.executor.run(() => run.loop.finished, options.maxEvents);
  return run;
}

/**
 * Iterations are 1..k exactly once in each trial's history, except where the
 * trial took another trial's weights (PBT's exploit): there it goes on from that
 * checkpoint's iteration. Returns what is wrong, one line per trial, or [].
 */
export function lostOrRepeatedIterations(run: ScriptedRun): string[] {
  const problems: string[] = [];
  for (const trial of run.loop.trials) {
    const foreign = new Set(run.executor.foreignRestores.get(trial.id) ?? []);
    let previous = 0;
    for (const r of trial.history) {
      if (r.iteration !== previous + 1 && !foreign.has(r.iteration - 1)) {
        problems.push(`${trial.id}: iterations ${trial.history.map((h) => h.iteration).join(",")} (${r.iteration} after ${previous})`);
        break;
      }
      previous = r.iteration;
    }
    if (foreign.size === 0 && run.executor.fired.every((e) => e.kind === "result" || e.kind === "checkpoint")) {
      // Without failures or exploits, no iteration is computed twice either.
      const computed = run.executor.computed.get(trial.id) ?? [];
      if (computed.some((it, i) => it !== i + 1)) problems.push(`${trial.id}: computed iterations ${computed.join(",")}`);
    }
  }
  return problems;
}

/** Throws when an iteration of some trial was lost or repeated (see lostOrRepeatedIterations). */
export function expectNoLostOrRepeatedIterations(run: ScriptedRun): void {
  const problems = lostOrRepeatedIterations(run);
  if (problems.length > 0) throw new Error(`lost or repeated iterations:\n  ${problems.join("\n  ")}`);
}
