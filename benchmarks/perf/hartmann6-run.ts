import { benchmarkByName } from "../objectives/index.ts";
import { simulate, type SimulateOptions, type SimulationSummary } from "../../simulator/index.ts";

const bench = benchmarkByName("hartmann6");

/** One timed simulation of the perf benchmarks: random search + FIFO on Hartmann6 learning curves, 256 GPUs, seed 1. */
export function timedHartmann6Run(
  trials: number,
  maxIterations: number,
  extra: Partial<Pick<SimulateOptions, "checkpointFrequency" | "keepCheckpoints" | "callbacks">> = {},
): { seconds: number; summary: SimulationSummary } {
  const t0 = performance.now();
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials,
    seed: 1,
    cluster: { gpus: 256 },
    maxIterations,
    ...extra,
  });
  return { seconds: (performance.now() - t0) / 1000, summary: run.summary };
}
