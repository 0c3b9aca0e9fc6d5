import type { Benchmark } from "../benchmarks/objectives/index.ts";
import type { Config } from "../core/contracts/index.ts";
import { choice, type Space } from "../core/space/index.ts";
import { recordedObjective } from "../results/index.ts";

/**
 * `tunelab sim --replay DIR`: a recorded experiment as a benchmark. The space
 * offers, per top-level hyperparameter, the values that were recorded (a choice),
 * so any searcher can run; a combination never recorded (and every PBT explore)
 * is answered by the nearest recorded config (range-normalised Euclidean
 * distance), and a curve that was stopped early ends there (`done`).
 * Regret is measured from the best last value any recorded trial reached.
 */
export function replayBenchmark(dir: string, maxIterations: number): { benchmark: Benchmark; maxIterations: number } {
  const objective = recordedObjective(dir, { unrecorded: "nearest", beyondRecording: "end" });
  const curves = objective.recording.curves;
  const longest = Math.max(...curves.map((c) => c.metrics.length));
  const finals = curves.map((c) => c.metrics.at(-1)?.[objective.metric]).filter((v): v is number => v !== undefined);
  return {
    benchmark: {
      name: "replay",
      objective,
      space: recordedSpace(objective.configs),
      optimum: objective.mode === "max" ? Math.max(...finals) : Math.min(...finals),
      metric: objective.metric,
      mode: objective.mode,
    },
    maxIterations: Math.min(maxIterations, longest),
  };
}

function recordedSpace(configs: readonly Config[]): Space {
  const space: Record<string, unknown> = {};
  for (const key of Object.keys(configs[0] ?? {})) {
    const seen = new Map<string, unknown>();
    for (const c of configs) seen.set(JSON.stringify(c[key]), c[key]);
    const values = [...seen.values()];
    space[key] = values.length === 1 ? values[0] : choice(values);
  }
  return space as Space;
}
