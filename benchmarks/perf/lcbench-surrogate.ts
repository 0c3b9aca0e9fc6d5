/**
 * LCBench surrogate speed and its share of a simulated run.
 *
 *   npx tsx benchmarks/perf/lcbench-surrogate.ts [--task 3945] [--trials 100] [--gpus 16]
 *
 * Prints name=value lines:
 * - curve_rows_per_second: rows/s when each call carries one 52-epoch curve
 *   (what a trial start does), through the synchronous worker-thread path;
 * - direct_rows_per_second: the same calls made straight on an ONNX Runtime
 *   session in this thread with await (the baseline, no thread hop);
 * - sync_over_direct: their ratio (the cost of the synchronous bridge);
 * - batch_rows_per_second: rows/s for 64 curves per call (the model's throughput);
 * - run_wall_seconds, surrogate_seconds, surrogate_share: one random-search +
 *   ASHA run (100 trials, 16 GPUs by default) and the part of its wall time
 *   spent inside surrogate calls.
 */
import { parseArgs } from "node:util";
import ort from "onnxruntime-node";
import { ASHAScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { rngFor } from "../../core/rng.ts";
import { sampleConfig } from "../../core/space/index.ts";
import { simulate } from "../../simulator/index.ts";
import { loadLcbench, surrogateInputs } from "../lcbench/index.ts";
import { numberFlag } from "../script-flags.ts";

const { values: flags } = parseArgs({ options: { task: { type: "string", default: "3945" }, trials: { type: "string" }, gpus: { type: "string" } } });
const task = flags.task as string;
const trials = numberFlag("trials", flags.trials, 100, { integer: true, min: 1 });
const gpus = numberFlag("gpus", flags.gpus, 16, { integer: true, min: 1 });

const suite = await loadLcbench();
const { data, surrogate } = suite;
const bench = suite.benchmark(task);
const epochs = data.maxEpoch;
const code = data.taskCode.get(task)!;
const rng = rngFor(0, "perf");
const configs = Array.from({ length: 400 }, () => surrogateInputs(data, sampleConfig(bench.space, () => rng.next()) as Record<string, unknown>));

function rowsFor(inputs: readonly Float64Array[]) {
  const rows = inputs.length * epochs;
  const cat = new Int32Array(rows).fill(code);
  const cont = new Float32Array(rows * 8);
  inputs.forEach((values, c) => {
    for (let e = 1; e <= epochs; e++) {
      cont[(c * epochs + e - 1) * 8] = e;
      cont.set(values, (c * epochs + e - 1) * 8 + 1);
    }
  });
  return { rows, cat, cont };
}
const single = configs.map((c) => rowsFor([c]));

// Warm-up both paths.
for (const r of single.slice(0, 20)) surrogate.predict(r.cat, r.cont, r.rows);
const direct = await ort.InferenceSession.create(data.modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
for (const r of single.slice(0, 20)) await direct.run({ x_cat: new ort.Tensor("int32", r.cat, [r.rows, 1]), x_cont: new ort.Tensor("float32", r.cont, [r.rows, 8]) });

let t0 = performance.now();
for (const r of single) surrogate.predict(r.cat, r.cont, r.rows);
const syncSeconds = (performance.now() - t0) / 1000;
t0 = performance.now();
for (const r of single) await direct.run({ x_cat: new ort.Tensor("int32", r.cat, [r.rows, 1]), x_cont: new ort.Tensor("float32", r.cont, [r.rows, 8]) });
const directSeconds = (performance.now() - t0) / 1000;
const batches = Array.from({ length: configs.length / 64 | 0 }, (_, i) => rowsFor(configs.slice(i * 64, i * 64 + 64)));
t0 = performance.now();
for (const r of batches) surrogate.predict(r.cat, r.cont, r.rows);
const batchSeconds = (performance.now() - t0) / 1000;

// One simulated run, timing the surrogate calls inside it.
let insideSeconds = 0;
const predict = surrogate.predict.bind(surrogate);
surrogate.predict = (cat, cont, rows) => {
  const start = performance.now();
  try {
    return predict(cat, cont, rows);
  } finally {
    insideSeconds += (performance.now() - start) / 1000;
  }
};
const run = simulate({
  objective: bench.objective,
  space: bench.space,
  metric: bench.metric,
  mode: bench.mode,
  trials,
  seed: 0,
  searcher: new RandomSearch(bench.space, { metric: bench.metric, mode: bench.mode, seed: 0 }),
  scheduler: new ASHAScheduler({ metric: bench.metric, mode: bench.mode, maxT: epochs, gracePeriod: 1, reductionFactor: 3 }),
  cluster: { gpus },
  maxIterations: epochs,
});
await suite.close();

const rowsSingle = single.length * epochs;
console.log(`task=${task} trials=${trials} gpus=${gpus} results=${run.summary.results}`);
console.log(`curve_rows_per_second=${Math.round(rowsSingle / syncSeconds)}`);
console.log(`direct_rows_per_second=${Math.round(rowsSingle / directSeconds)}`);
console.log(`sync_over_direct=${(directSeconds / syncSeconds).toFixed(3)}`);
console.log(`batch_rows_per_second=${Math.round(batches.length * 64 * epochs / batchSeconds)}`);
console.log(`run_wall_seconds=${run.summary.wallSeconds.toFixed(3)}`);
console.log(`surrogate_seconds=${insideSeconds.toFixed(3)}`);
console.log(`surrogate_share=${(insideSeconds / run.summary.wallSeconds).toFixed(3)}`);
