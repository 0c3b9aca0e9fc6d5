// Shared by the real-backend benchmarks (real-overhead.ts, redis-throughput.ts): the same
// timed workload on any driven executor, so their ms-per-result figures compare like for like.
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { FIFOScheduler } from "../../algorithms/schedulers/index.ts";
import type { Executor } from "../../core/contracts/index.ts";
import { uniform } from "../../core/space/index.ts";
import { TuneLoop } from "../../core/tune-loop.ts";

type Runnable = Executor & { run(isFinished: () => boolean): Promise<void>; close?(): Promise<void> };

const space = { x: uniform(0, 1) };

/** Runs `trials` trials of one cpu each (random search, FIFO) to their end, then closes the executor; returns wall seconds and results. */
export async function timed(executor: Runnable, trials: number): Promise<{ seconds: number; results: number }> {
  const loop = new TuneLoop({
    searcher: new RandomSearch(space, { metric: "loss", mode: "min", seed: 0 }),
    scheduler: new FIFOScheduler(),
    executor,
    metric: "loss",
    mode: "min",
    trials,
    resources: { cpu: 1, gpu: 0 },
  });
  const t0 = performance.now();
  try {
    loop.begin();
    await executor.run(() => loop.finished);
  } finally {
    await executor.close?.();
  }
  const seconds = (performance.now() - t0) / 1000;
  const failed = loop.trials.filter((t) => t.status === "ERROR");
  if (failed.length > 0) throw new Error(`${failed.length} trials failed: ${failed[0]?.errorMessage}`);
  return { seconds, results: loop.counters.results };
}
