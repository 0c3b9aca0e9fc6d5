/**
 * What callbacks cost the simulator: sim-throughput's run (random search + FIFO on
 * Hartmann6 curves, 256 GPUs) with no callback and with one no-op callback that has
 * every hook.
 *
 * The machine these figures come from is shared and noisy (one run's rate moves by
 * +-40%), so no single pair of runs decides anything. Instead: warm-up runs of both
 * first (JIT), then `--pairs` pairs in the same process, each pair run in alternating
 * order (ABBA) so drift and load hit both arms alike; each pair gives one ratio
 * noop/none of results per second. The figure is the median ratio with a 95%
 * percentile-bootstrap interval, and a Wilcoxon signed-rank test of the paired rates
 * says whether the two arms differ at all.
 *
 *   npx tsx benchmarks/perf/callback-overhead.ts [--pairs 24] [--trials 1000] [--iterations 100]
 */
import { parseArgs } from "node:util";
import type { TuneCallback } from "../../core/callbacks/index.ts";
import { numberFlag } from "../script-flags.ts";
import { median, medianInterval, quantile, wilcoxonSignedRank } from "../stats/index.ts";
import { timedHartmann6Run } from "./hartmann6-run.ts";

const { values: flags } = parseArgs({ options: { pairs: { type: "string" }, trials: { type: "string" }, iterations: { type: "string" } } });
const count = { integer: true, min: 1 };
const pairs = numberFlag("pairs", flags.pairs, 24, count);
const trials = numberFlag("trials", flags.trials, 1000, count);
const iterations = numberFlag("iterations", flags.iterations, 100, count);

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
  const { seconds, summary } = timedHartmann6Run(trials, iterations, callbacks.length > 0 ? { callbacks } : {});
  return summary.results / seconds;
}

// Warm-up: both code paths compiled before anything is timed.
for (let i = 0; i < 3; i++) {
  rate([]);
  rate([noop]);
}

const none: number[] = [];
const withNoop: number[] = [];
for (let i = 0; i < pairs; i++) {
  // ABBA: even pairs run none first, odd pairs noop first.
  if (i % 2 === 0) {
    none.push(rate([]));
    withNoop.push(rate([noop]));
  } else {
    withNoop.push(rate([noop]));
    none.push(rate([]));
  }
}
const ratios = none.map((n, i) => (withNoop[i] as number) / n);
const [low, high] = medianInterval(ratios, { seed: 1 });
const test = wilcoxonSignedRank(withNoop, none);
const spread = (xs: number[]) => `${Math.round(quantile(xs, 0.1))}..${Math.round(quantile(xs, 0.9))}`;
console.log(`pairs=${pairs} trials=${trials} iterations=${iterations} results_per_run=${trials * iterations}`);
console.log(`results_per_second_no_callbacks_median=${Math.round(median(none))} (p10..p90 ${spread(none)})`);
console.log(`results_per_second_noop_callback_median=${Math.round(median(withNoop))} (p10..p90 ${spread(withNoop)})`);
console.log(`noop_over_none_median_ratio=${median(ratios).toFixed(3)}`);
console.log(`noop_over_none_ratio_95ci=${low.toFixed(3)}..${high.toFixed(3)}`);
console.log(`wilcoxon_p=${test.p.toPrecision(3)}`);
