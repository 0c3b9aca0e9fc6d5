/** Heap per stored result for benchmarks/perf/scale.ts: a FIFO run kept alive, heap measured around it. */
import { benchmarkByName } from "../objectives/index.ts";
import { simulate, type SimulationRun } from "../../simulator/index.ts";

const gc = (globalThis as { gc?: () => void }).gc;

function settledHeap(): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/**
 * Bytes of heap per result the finished run still holds (every trial's
 * history). Exact only with `--expose-gc`; without it the figure includes garbage.
 */
export function heapPerResult(trials: number, iterations: number): { results: number; bytesPerResult: number; exact: boolean } {
  const bench = benchmarkByName("hartmann6", { maxIterations: iterations });
  const before = settledHeap();
  let run: SimulationRun | undefined = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials,
    seed: 1,
    cluster: { gpus: 64 },
    maxIterations: iterations,
  });
  const after = settledHeap();
  const results = run.summary.results;
  run = undefined;
  void run;
  return { results, bytesPerResult: (after - before) / results, exact: gc !== undefined };
}
