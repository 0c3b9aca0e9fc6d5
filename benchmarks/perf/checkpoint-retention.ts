/**
 * Cost of checkpoint retention in the simulator: 2,000 trials x 50 iterations on
 * 256 GPUs, a checkpoint after every iteration (98,000 saves), with every
 * checkpoint kept and with `keepCheckpoints: 1`. Prints both times (best of a few
 * repeats after a warm-up) and their ratio: retention's work per save must not
 * grow with the number of trials.
 *
 *   npx tsx benchmarks/perf/checkpoint-retention.ts [--repeats 3]
 */
import { benchmarkByName } from "../objectives/index.ts";
import { simulate } from "../../simulator/index.ts";

const repeatsFlag = process.argv.indexOf("--repeats");
const repeats = repeatsFlag > 0 ? Number(process.argv[repeatsFlag + 1]) : 3;
const bench = benchmarkByName("hartmann6");

function once(trials: number, keepCheckpoints: number | undefined) {
  const t0 = performance.now();
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials,
    seed: 1,
    cluster: { gpus: 256 },
    maxIterations: 50,
    checkpointFrequency: 1,
    ...(keepCheckpoints !== undefined ? { keepCheckpoints } : {}),
  });
  return { seconds: (performance.now() - t0) / 1000, saved: run.summary.checkpoints, discarded: run.summary.checkpointsDiscarded };
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
