/**
 * Simulator throughput: 5,000 trials x 100 iterations, random search + FIFO,
 * 256 simulated GPUs, Hartmann6 learning curves. Prints, as its last line,
 * `results_per_second=<n> events_per_second=<n>` (best of a few repeats, after a warm-up run).
 *
 *   npx tsx benchmarks/perf/sim-throughput.ts [--repeats 3]
 */
import { parseArgs } from "node:util";
import { numberFlag } from "../script-flags.ts";
import { timedHartmann6Run } from "./hartmann6-run.ts";

const { values: flags } = parseArgs({ options: { repeats: { type: "string" } } });
const repeats = numberFlag("repeats", flags.repeats, 3, { integer: true, min: 1 });

function once(trials: number) {
  const { seconds, summary } = timedHartmann6Run(trials, 100);
  return { seconds, results: summary.results, events: summary.events };
}

once(500); // warm-up: let the JIT settle before timing
let best = { seconds: Number.POSITIVE_INFINITY, results: 0, events: 0 };
for (let i = 0; i < repeats; i++) {
  const r = once(5000);
  console.log(`run ${i + 1}: ${r.results} results, ${r.events} events in ${r.seconds.toFixed(3)} s`);
  if (r.seconds < best.seconds) best = r;
}
console.log(`results_per_second=${Math.round(best.results / best.seconds)} events_per_second=${Math.round(best.events / best.seconds)}`);
