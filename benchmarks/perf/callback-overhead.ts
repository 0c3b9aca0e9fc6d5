/**
 * What callbacks cost the simulator: sim-throughput's run (5,000 trials x 100
 * iterations, random search + FIFO, 256 GPUs) with no callback and with one
 * no-op callback that has every hook, interleaved in one process so machine
 * load hits both alike. Prints best-of-N results per second for each and their ratio.
 *
 *   npx tsx benchmarks/perf/callback-overhead.ts [--repeats 3]
 */
import type { TuneCallback } from "../../core/callbacks/index.ts";
import { timedHartmann6Run } from "./hartmann6-run.ts";

const repeatsFlag = process.argv.indexOf("--repeats");
const repeats = repeatsFlag > 0 ? Number(process.argv[repeatsFlag + 1]) : 3;

const noop: TuneCallback = {
  name: "noop",
  onExperimentStart() {},
  onExperimentEnd() {},
  onTrialStart() {},
  onTrialResult() {},
  onTrialComplete() {},
  onTrialError() {},
  onCheckpoint() {},
  onDecision() {},
  onExploit() {},
};

function rate(callbacks: TuneCallback[]): number {
  const { seconds, summary } = timedHartmann6Run(5000, 100, { callbacks });
  return summary.results / seconds;
}

timedHartmann6Run(500, 100); // warm-up
let none = 0;
let withNoop = 0;
for (let i = 0; i < repeats; i++) {
  const a = rate([]);
  const b = rate([noop]);
  console.log(`run ${i + 1}: none ${Math.round(a)} results/s, noop callback ${Math.round(b)} results/s`);
  none = Math.max(none, a);
  withNoop = Math.max(withNoop, b);
}
console.log(`results_per_second_no_callbacks=${Math.round(none)} results_per_second_noop_callback=${Math.round(withNoop)} noop_over_none=${(withNoop / none).toFixed(3)}`);
