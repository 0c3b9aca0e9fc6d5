// How long a default checkScheduler run takes and how many cases it tries, for FIFO and ASHA.
// Baseline in the same process: the same number of plain loop runs at the largest default case
// (8 trials, 4 workers, 12 iterations), without the kit's recording and checks.
// Usage: npx tsx benchmarks/perf/check-scheduler-default.ts   (prints name=value lines)
import { ASHAScheduler, FIFOScheduler } from "../../algorithms/schedulers/index.ts";
import { checkScheduler, runScripted, type SchedulerFactory } from "../../testing/index.ts";
import { median } from "../stats/index.ts";

const factories: Record<string, SchedulerFactory> = {
  fifo: () => new FIFOScheduler(),
  asha: (p) => new ASHAScheduler({ ...p, maxT: 12, gracePeriod: 1, reductionFactor: 2 }),
};

const repeats = 5;
for (const [name, factory] of Object.entries(factories)) {
  const times: number[] = [];
  const base: number[] = [];
  let report = checkScheduler(factory, { seed: 1 });
  for (let r = 0; r < repeats; r++) {
    report = checkScheduler(factory, { seed: 1 + r });
    times.push(report.elapsedMs);
    const t0 = performance.now();
    for (let i = 0; i < report.loopRuns; i++) runScripted({ scheduler: factory({ metric: "loss", mode: "min", seed: i }), trials: 8, workers: 4, seed: i, maxIterations: 12 });
    base.push(performance.now() - t0);
  }
  console.log(`${name}.default_cases=${report.cases}`);
  console.log(`${name}.default_loop_runs=${report.loopRuns}`);
  console.log(`${name}.default_events=${report.events}`);
  console.log(`${name}.default_ms_median=${median(times).toFixed(0)}`);
  console.log(`${name}.baseline_plain_runs_ms_median=${median(base).toFixed(0)}`);
  console.log(`${name}.ratio_kit_to_plain_runs=${(median(times) / median(base)).toFixed(2)}`);
}
