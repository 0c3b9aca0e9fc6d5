/**
 * What block-wise LCBench curves save: the same random-search + ASHA and BOHB runs with
 * each config's curve predicted whole (52 rows, the baseline) and block by block (8
 * rows for a trial stopped at epoch 1), alternating in this process.
 *
 *   npx tsx benchmarks/lcbench/curve-cost.ts [--task 3945] [--trials 100] [--gpus 16] [--repeats 3]
 *
 * Prints name=value lines per method: rows, calls and CPU-seconds of each mode (medians
 * over repeats; CPU of the whole process, the surrogate thread included), `cpu_ratio`
 * (block-wise over whole) and `same_results` (the two runs' results equal bit for bit).
 */
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { HyperBandForBOHB, ASHAScheduler } from "../../algorithms/schedulers/index.ts";
import { BOHBSearcher, RandomSearch } from "../../algorithms/searchers/index.ts";
import type { Objective, Scheduler, Searcher } from "../../core/contracts/index.ts";
import { parseNumberText } from "../../core/errors/index.ts";
import { simulate } from "../../simulator/index.ts";
import { median } from "../stats/index.ts";
import { blockwiseExact } from "./growing-curve.ts";
import { loadLcbench } from "./load.ts";

// node:util's parseArgs and the project's number check, as the other benchmark scripts
// use them: a bad value is one line naming the flag, not a NaN that runs on.
const { values: flags } = parseArgs({
  options: {
    task: { type: "string", default: "3945" },
    trials: { type: "string", default: "100" },
    gpus: { type: "string", default: "16" },
    repeats: { type: "string", default: "3" },
  },
});
const task = flags.task as string;
const trials = parseNumberText("--trials", flags.trials as string, { integer: true, min: 1 });
const gpus = parseNumberText("--gpus", flags.gpus as string, { integer: true, min: 1 });
const repeats = parseNumberText("--repeats", flags.repeats as string, { integer: true, min: 1 });

const suite = await loadLcbench();
console.log(`blockwise_exact=${blockwiseExact(suite.surrogate, suite.data)}`);
console.log(`cores=${cpus().length} load_1min=${(await import("node:os")).loadavg()[0]?.toFixed(1)}`);

const methods: Record<string, (space: ReturnType<typeof suite.benchmark>["space"], seed: number) => { searcher: Searcher; scheduler: Scheduler }> = {
  "random:asha": (space, seed) => ({
    searcher: new RandomSearch(space, { metric: "val_accuracy", mode: "max", seed }),
    scheduler: new ASHAScheduler({ metric: "val_accuracy", mode: "max", maxT: 52, gracePeriod: 1, reductionFactor: 4 }),
  }),
  "bohb:hyperband-bohb": (space, seed) => ({
    searcher: new BOHBSearcher(space, { metric: "val_accuracy", mode: "max", seed }),
    scheduler: new HyperBandForBOHB({ metric: "val_accuracy", mode: "max", maxT: 52 }),
  }),
};

for (const [method, make] of Object.entries(methods)) {
  const runs: Record<"whole" | "blocks", { rows: number[]; calls: number[]; cpu: number[]; results: string }> = {
    whole: { rows: [], calls: [], cpu: [], results: "" },
    blocks: { rows: [], calls: [], cpu: [], results: "" },
  };
  for (let r = 0; r < repeats; r++) {
    for (const mode of ["whole", "blocks"] as const) {
      // A fresh benchmark each run: an empty curve cache, so every config costs its surrogate rows.
      const bench = suite.benchmark(task);
      const objective: Objective = bench.objectiveWith({ wholeCurves: mode === "whole" });
      const usage = { ...suite.surrogate.usage };
      const cpu = process.cpuUsage();
      const run = simulate({ objective, space: bench.space, metric: bench.metric, mode: bench.mode, trials, seed: r, cluster: { gpus }, maxIterations: 52, ...make(bench.space, r) });
      const used = process.cpuUsage(cpu);
      runs[mode].cpu.push((used.user + used.system) / 1e6);
      runs[mode].rows.push(suite.surrogate.usage.rows - usage.rows);
      runs[mode].calls.push(suite.surrogate.usage.calls - usage.calls);
      runs[mode].results += JSON.stringify(run.trials.map((t) => t.history.map((h) => [h.time, h.metrics.val_accuracy])));
    }
  }
  for (const mode of ["whole", "blocks"] as const) {
    console.log(`${method}.${mode}.rows_per_run=${median(runs[mode].rows)}`);
    console.log(`${method}.${mode}.calls_per_run=${median(runs[mode].calls)}`);
    console.log(`${method}.${mode}.cpu_seconds_per_run=${median(runs[mode].cpu).toFixed(3)}`);
  }
  console.log(`${method}.cpu_ratio=${(median(runs.blocks.cpu) / median(runs.whole.cpu)).toFixed(3)}`);
  console.log(`${method}.same_results=${runs.whole.results === runs.blocks.results}`);
}
await suite.close();
