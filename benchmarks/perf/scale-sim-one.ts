/**
 * One simulation of benchmarks/perf/scale.ts in a process of its own (so the
 * parent can give it a time budget): a warm-up run, then the timed one; prints
 * one JSON line `{ seconds, results, resultsPerSecond }`.
 *
 *   npx tsx benchmarks/perf/scale-sim-one.ts <scheduler> <trials> <gpus> [--scheduler-work]
 *
 * --scheduler-work: also `schedulerSeconds`, the scheduler's own hooks timed (SchedulerWorkTimer).
 */
import { simThroughput } from "./scale-sim.ts";

const [name, trials, gpus, option] = process.argv.slice(2);
const schedulerWork = option === "--scheduler-work";
if (name === undefined || !(Number(trials) > 0) || !(Number(gpus) > 0)) {
  console.error("usage: scale-sim-one.ts <scheduler> <trials> <gpus>");
  process.exit(2);
}
// Warm-up at a small size: let the JIT settle before timing.
simThroughput(name, { label: "warmup", trials: 300, gpus: 30 }, schedulerWork);
console.log(JSON.stringify(simThroughput(name, { label: "timed", trials: Number(trials), gpus: Number(gpus) }, schedulerWork)));
