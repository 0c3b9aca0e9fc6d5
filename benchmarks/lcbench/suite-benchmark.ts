import { rngFor } from "../../core/rng.ts";
import { sampleConfig } from "../../core/space/index.ts";
import type { BenchmarkDefaults } from "../objectives/index.ts";
import type { SuiteBenchmark } from "../suites/benchmark-registry.ts";
import { surrogateInputs } from "./curve.ts";
import { CAT_WIDTH, CONT_WIDTH, OUTPUT_WIDTH } from "./onnx-surrogate.ts";
import { lcbenchSpace, type LcbenchData } from "./lcbench-data.ts";
import { loadLcbench, type LcbenchSuite } from "./load.ts";

/** `lcbench/<OpenML task id>`: the names the benchmark registry resolves to LCBench tasks. */
export const LCBENCH_BENCHMARK_PREFIX = "lcbench/";

let shared: Promise<LcbenchSuite> | undefined;
/** The loaded value of `shared`, once it has resolved. */
let current: LcbenchSuite | undefined;

/**
 * The data and ONNX session, loaded on first use and shared by every task in this
 * process or worker thread (one surrogate thread each). A failed load is not cached,
 * so a later cell retries (e.g. after the download's network came back); nor is a
 * surrogate that has failed (a call timed out on a loaded machine): the next use
 * starts a fresh one instead of failing every later cell of the thread.
 */
export function sharedLcbench(): Promise<LcbenchSuite> {
  if (current?.surrogate.failure !== undefined) {
    void current.close();
    shared = undefined;
    current = undefined;
  }
  shared ??= loadLcbench().then(
    (suite) => (current = suite),
    (error: unknown) => {
      shared = undefined;
      throw error;
    },
  );
  return shared;
}

/** Configurations whose epoch times set PBT's perturbation interval (fixed: the defaults are a pure function of the task). */
const TYPICAL_SAMPLE = 64;
/** PBT perturbs every this many epochs of a typical configuration. */
const EPOCHS_PER_PERTURBATION = 4;

/**
 * An LCBench task as a suite benchmark: all 52 epochs, ASHA's first rung at epoch 1
 * (YAHPO's smallest fidelity, as Syne Tune's and YAHPO's own LCBench baselines), and
 * PBT's interval in simulated seconds (its time_total_s) of 4 epochs of the task's
 * median configuration: epoch times differ ~100x between tasks, so one number of seconds
 * for all would perturb some tasks every epoch and others never. Regret is normalised
 * by YAHPO's max - min of val_accuracy on the task.
 */
export async function lcbenchSuiteBenchmark(taskId: string): Promise<SuiteBenchmark> {
  const suite = await sharedLcbench();
  const benchmark = suite.benchmark(taskId);
  const stats = suite.data.stats.get(taskId)!;
  return {
    benchmark,
    defaults: lcbenchDefaults(suite, taskId),
    regretScale: stats.val_accuracy.max - stats.val_accuracy.min,
    surrogateUsage: () => ({ ...suite.surrogate.usage }),
    failure: () => suite.surrogate.failure,
    objectiveFor: (options) => benchmark.objectiveWith(options),
  };
}

/** The natural budget of an LCBench task (see lcbenchSuiteBenchmark). */
export function lcbenchDefaults(suite: Pick<LcbenchSuite, "data" | "surrogate">, taskId: string): BenchmarkDefaults {
  const seconds = medianEpochSeconds(suite, taskId);
  return { maxIterations: suite.data.maxEpoch, gracePeriod: 1, perturbationInterval: Number((EPOCHS_PER_PERTURBATION * seconds).toPrecision(6)) };
}

/**
 * Median over TYPICAL_SAMPLE seeded random configurations of their mean epoch seconds:
 * the cumulative `time` at the last epoch over the epoch count. One surrogate call of
 * one row per configuration (the last epoch only: a whole curve each would cost 52x).
 */
function medianEpochSeconds({ data, surrogate }: Pick<LcbenchSuite, "data" | "surrogate">, taskId: string): number {
  const rng = rngFor(0, `lcbench-typical-${taskId}`);
  const space = lcbenchSpace(data as LcbenchData);
  const cat = new Int32Array(TYPICAL_SAMPLE * CAT_WIDTH).fill(data.taskCode.get(taskId) as number);
  const cont = new Float32Array(TYPICAL_SAMPLE * CONT_WIDTH);
  for (let c = 0; c < TYPICAL_SAMPLE; c++) {
    cont[c * CONT_WIDTH] = data.maxEpoch;
    cont.set(surrogateInputs(data, sampleConfig(space, () => rng.next())), c * CONT_WIDTH + 1);
  }
  const out = surrogate.predict(cat, cont, TYPICAL_SAMPLE);
  // Column 0 of the output is `time` (LCBENCH_OUTPUTS order).
  const means = Array.from({ length: TYPICAL_SAMPLE }, (_, c) => Math.max(0, out[c * OUTPUT_WIDTH] as number) / data.maxEpoch).sort((a, b) => a - b);
  return ((means[TYPICAL_SAMPLE / 2 - 1] as number) + (means[TYPICAL_SAMPLE / 2] as number)) / 2;
}
