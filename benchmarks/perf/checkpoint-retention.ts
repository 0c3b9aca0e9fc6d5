/**
 * Cost of checkpoint retention in the simulator: 2,000 trials x 50 iterations on
 * 256 GPUs, a checkpoint after every iteration (98,000 saves), with every
 * checkpoint kept and with `keepCheckpoints: 1`. Prints both times (best of a few
 * repeats after a warm-up) and their ratio: retention's work per save must not
 * grow with the number of trials.
 *
 *   npx tsx benchmarks/perf/checkpoint-retention.ts [--repeats 3]
 */
import { parseArgs } from "node:util";
import { numberFlag } from "../script-flags.ts";
import { timedHartmann6Run } from "./hartmann6-run.ts";

const { values: flags } = parseArgs({ options: { repeats: { type: "string" } } });
const repeats = numberFlag("repeats", flags.repeats, 3, { integer: true, min: 1 });

function once(trials: number, keepCheckpoints: number | undefined) {
  const { seconds, summary } = timedHartmann6Run(trials, 50, { checkpointFrequency: 1, ...(keepCheckpoints !== undefined ? { keepCheckpoints } : {}) });
  return { seconds, saved: summary.checkpoints, discarded: summary.checkpointsDiscarded };
}

function best(keep: number | undefined) {
  let fastest = once(2000, keep);
  for (let i = 1; i < repeats; i++) {
    const r = once(2000, keep);
    if (r.seconds < fastest.seconds) fastest = r;
  }
  return fastest;
}

once(200, 1); // warm-up
const all = best(undefined);
const kept = best(1);
console.log(`keep all: ${all.saved} saves in ${all.seconds.toFixed(3)} s`);
console.log(`keep 1:   ${kept.saved} saves, ${kept.discarded} discarded, in ${kept.seconds.toFixed(3)} s`);
console.log(`retention_time_ratio=${(kept.seconds / all.seconds).toFixed(3)}`);
