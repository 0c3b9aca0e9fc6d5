/**
 * Early-stopping schedulers side by side (issue 3), the TuneLab half; the Optuna half is
 * benchmarks/peers/optuna_pruners.py on the very same learning curves.
 *
 *   npx tsx benchmarks/studies/schedulers-issue3.ts                       # the table
 *   npx tsx benchmarks/studies/schedulers-issue3.ts --trials 128 --seeds 5
 *   npx tsx benchmarks/studies/schedulers-issue3.ts --export-curves FILE   # curves + our runs, for the Optuna script
 *
 * Random search (same configs in the same order for every scheduler, per seed) on the
 * learning-curve benchmarks, 16 simulated GPUs, FIFO vs ASHA (stopping, promotion) vs
 * HyperBand vs the median stopping rule. "Final best" is the lowest last-reported loss of
 * any trial; regret = final best - optimum. "Reached" means the final best is within 1%
 * of a typical regret (the benchmark's scale: median regret of a random config) of
 * FIFO's final best on the same seed; "time to target" is the simulated time of the
 * first result that low.
 */
import { writeFileSync } from "node:fs";
import { ASHAScheduler, FIFOScheduler, HyperBandScheduler, MedianStoppingRule } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import type { Scheduler, Searcher, TrialView } from "../../core/contracts/index.ts";
import { rngFor } from "../../core/rng.ts";
import { trialIdFor } from "../../core/tune-loop.ts";
import { simulate } from "../../simulator/index.ts";
import { benchmarkByName, branin, hartmann3, hartmann6, rosenbrock, type SyntheticFunction } from "../objectives/index.ts";
import { typicalGap } from "../objectives/_internals/typical-gap.ts";
import { fmt, formatTable, median as medianOfAll } from "../stats/index.ts";

/** Median over the finite values (a run with no result has an infinite regret and is left out, as before). */
const median = (values: readonly number[]): number => medianOfAll(values.filter((v) => Number.isFinite(v)));

const BENCHMARKS: ReadonlyArray<[string, SyntheticFunction]> = [
  ["branin", branin],
  ["hartmann3", hartmann3],
  ["hartmann6", hartmann6],
  ["rosenbrock4", rosenbrock(4)],
];
const GPUS = 16;
const PROMOTION_4X = "asha-promotion 4x trials";
const MAX_ITERATIONS = 100;

const SCHEDULERS: Record<string, (seed: number) => Scheduler> = {
  fifo: () => new FIFOScheduler(),
  asha: (seed) => new ASHAScheduler({ metric: "loss", mode: "min", maxT: MAX_ITERATIONS, seed }),
  "asha-promotion": (seed) => new ASHAScheduler({ metric: "loss", mode: "min", maxT: MAX_ITERATIONS, type: "promotion", seed }),
  hyperband: () => new HyperBandScheduler({ metric: "loss", mode: "min", maxT: MAX_ITERATIONS }),
  median: () => new MedianStoppingRule({ metric: "loss", mode: "min" }),
};

interface Outcome {
  best: number;
  regret: number;
  gpuSeconds: number;
  epochs: number;
  simulatedSeconds: number;
  /** (time, loss, noiseless f) of every result, time order. */
  results: Array<[number, number, number]>;
}

function runOne(bench: string, scheduler: string, seed: number, trials: number): Outcome {
  const b = benchmarkByName(bench);
  const run = simulate({
    objective: b.objective,
    space: b.space,
    metric: "loss",
    mode: "min",
    trials,
    seed,
    searcher: new RandomSearch(b.space, { metric: "loss", mode: "min", seed }),
    scheduler: (SCHEDULERS[scheduler] as (s: number) => Scheduler)(seed),
    cluster: { gpus: GPUS },
    maxIterations: MAX_ITERATIONS,
  });
  const best = run.summary.best?.metric ?? Number.POSITIVE_INFINITY;
  const results: Array<[number, number, number]> = [];
  for (const t of run.trials as TrialView[]) {
    for (const r of t.history) results.push([r.time, r.metrics["loss"] as number, r.metrics["f"] as number]);
  }
  results.sort((x, y) => x[0] - y[0]);
  return {
    best,
    regret: best - b.optimum,
    gpuSeconds: run.summary.gpuSeconds,
    epochs: run.summary.results,
    simulatedSeconds: run.summary.simulatedSeconds,
    results,
  };
}

/** Noiseless f of the incumbent (lowest loss seen) after the first `epochs` results (time order). */
function incumbentAfter(results: ReadonlyArray<[number, number, number]>, epochs: number): number {
  let best = Number.POSITIVE_INFINITY;
  let f = Number.NaN;
  for (let i = 0; i < Math.min(epochs, results.length); i++) {
    const [, loss, value] = results[i] as [number, number, number];
    if (loss < best) {
      best = loss;
      f = value;
    }
  }
  return f;
}

function parseArgs(): { trials: number; seeds: number; exportCurves: string | undefined } {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  return { trials: Number(value("--trials") ?? 256), seeds: Number(value("--seeds") ?? 10), exportCurves: value("--export-curves") };
}

function compare(trials: number, seeds: number): void {
  const started = performance.now();
  console.log(`schedulers-issue3: random search, ${trials} trials x up to ${MAX_ITERATIONS} iterations, ${GPUS} simulated GPUs, ${seeds} seeds (0..${seeds - 1}); medians over seeds`);
  console.log("target: within 1% of a typical regret (benchmark scale) of FIFO's final best on the same seed\n");
  const verdicts: string[] = [];
  for (const [bench, fn] of BENCHMARKS) {
    const scale = typicalGap(fn);
    const outcomes: Record<string, Outcome[]> = {};
    for (const name of Object.keys(SCHEDULERS)) outcomes[name] = Array.from({ length: seeds }, (_, seed) => runOne(bench, name, seed, trials));
    // With the same trial count promotion spends far less (exactly floor(n/rf) leave each
    // rung, against Ray's generous first arrivals), so it also runs with 4x the trials.
    outcomes[PROMOTION_4X] = Array.from({ length: seeds }, (_, seed) => runOne(bench, "asha-promotion", seed, 4 * trials));
    const fifo = outcomes["fifo"] as Outcome[];
    const rows: string[][] = [];
    for (const [name, runs] of Object.entries(outcomes)) {
      const reached = runs.filter((o, seed) => o.best <= (fifo[seed] as Outcome).best + 0.01 * scale).length;
      const times = runs.map((o, seed) => {
        const target = (fifo[seed] as Outcome).best + 0.01 * scale;
        const hit = o.results.find(([, loss]) => loss <= target);
        return hit ? hit[0] : Number.NaN;
      });
      const gpuRatio = median(runs.map((o, seed) => o.gpuSeconds / (fifo[seed] as Outcome).gpuSeconds));
      rows.push([
        name,
        fmt(median(runs.map((o) => o.regret))),
        `${reached}/${seeds}`,
        fmt(median(runs.map((o) => o.gpuSeconds)), 5),
        `${fmt(100 * gpuRatio, 3)}%`,
        fmt(median(times), 5),
        fmt(median(runs.map((o) => o.simulatedSeconds)), 5),
        fmt(median(runs.map((o) => o.epochs)), 5),
      ]);
      if (name.startsWith("asha")) {
        const ok = reached === seeds && gpuRatio <= 0.25;
        verdicts.push(`${bench} ${name}: reached FIFO's best in ${reached}/${seeds} seeds with ${fmt(100 * gpuRatio, 3)}% of FIFO's GPU-seconds -> ${ok ? "MET" : "NOT MET"}`);
      }
    }
    console.log(`${bench} (optimum ${fmt(fn.optimum)}, 1% of scale = ${fmt(0.01 * scale)})`);
    console.log(
      formatTable(["scheduler", "regret", "reached", "GPU-s", "GPU-s/FIFO", "time to target s", "wall-clock s", "epochs"], rows).trimEnd(),
    );
    // Promotion vs stopping at equal budget: both cut at the same number of epochs (results,
    // time order) and compared by the true regret (noiseless f) of the incumbent then, the
    // trial with the lowest loss seen so far.
    const stop = outcomes["asha"] as Outcome[];
    const promo = outcomes[PROMOTION_4X] as Outcome[];
    const pairs = stop.map((s, seed) => {
      const p = promo[seed] as Outcome;
      const epochs = Math.min(s.epochs, p.epochs);
      return { epochs, s: incumbentAfter(s.results, epochs) - fn.optimum, p: incumbentAfter(p.results, epochs) - fn.optimum };
    });
    const promoWins = pairs.filter((x) => x.p < x.s - 1e-12).length;
    const ties = pairs.filter((x) => Math.abs(x.p - x.s) <= 1e-12).length;
    console.log(
      `equal budget (asha ${trials} trials vs asha-promotion ${4 * trials} trials, both cut at min(epochs); regret of the incumbent's noiseless f): median regret stopping ${fmt(median(pairs.map((x) => x.s)))}, ` +
        `promotion ${fmt(median(pairs.map((x) => x.p)))} at median ${fmt(median(pairs.map((x) => x.epochs)), 5)} epochs; ` +
        `promotion better in ${promoWins}, tied in ${ties}, worse in ${seeds - promoWins - ties} of ${seeds} seeds\n`,
    );
    verdicts.push(
      `${bench} promotion vs stopping at equal epochs: median regret ${fmt(median(pairs.map((x) => x.p)))} vs ${fmt(median(pairs.map((x) => x.s)))} -> ${
        median(pairs.map((x) => x.p)) <= median(pairs.map((x) => x.s)) + 1e-12 ? "not worse" : "WORSE"
      }`,
    );
  }
  console.log(verdicts.join("\n"));
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * Writes, per benchmark and seed, the configs random search suggests and each one's full
 * 100-iteration loss curve (the simulator's exact per-trial noise stream), plus our
 * schedulers' epochs and regret on them: the Optuna script replays these curves.
 */
function exportCurves(file: string, trials: number, seeds: number): void {
  const out: Record<string, unknown> = { trials, seeds, maxIterations: MAX_ITERATIONS, gpus: GPUS, benchmarks: {} };
  for (const [bench] of BENCHMARKS) {
    const b = benchmarkByName(bench);
    const perSeed: unknown[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const searcher = new RandomSearch(b.space, { metric: "loss", mode: "min", seed });
      const curves: number[][] = [];
      for (let i = 0; i < trials; i++) {
        const id = trialIdFor(i);
        const config = (searcher as Searcher).suggest(id);
        if (typeof config === "string") throw new Error(`random search answered ${config}`);
        const rng = rngFor(seed, "trial", id);
        let state = b.objective.init(config, rng);
        const curve: number[] = [];
        for (let t = 1; t <= MAX_ITERATIONS; t++) {
          const step = b.objective.step(state, config, { iteration: t, rng, resources: { cpu: 1, gpu: 1 } });
          state = step.state;
          curve.push(step.metrics["loss"] as number);
        }
        curves.push(curve);
        searcher.onTrialComplete(id, undefined, false);
      }
      const ours: Record<string, { epochs: number; regret: number; gpuSeconds: number }> = {};
      for (const name of Object.keys(SCHEDULERS)) {
        const o = runOne(bench, name, seed, trials);
        ours[name] = { epochs: o.epochs, regret: o.regret, gpuSeconds: o.gpuSeconds };
      }
      perSeed.push({ seed, curves, ours });
    }
    (out["benchmarks"] as Record<string, unknown>)[bench] = { optimum: b.optimum, seeds: perSeed };
  }
  writeFileSync(file, JSON.stringify(out));
  console.log(`wrote ${file}: ${BENCHMARKS.length} benchmarks x ${seeds} seeds x ${trials} curves of ${MAX_ITERATIONS} iterations`);
}

const args = parseArgs();
if (args.exportCurves) exportCurves(args.exportCurves, args.trials, args.seeds);
else compare(args.trials, args.seeds);
