import { OptionError } from "../../core/contracts/index.ts";
import type { Config, Objective, RandomStream, StepContext, StepOutcome } from "../../core/contracts/index.ts";
import type { Benchmark } from "../objectives/learning-curve.ts";
import { surrogateInputs } from "./curve.ts";
import { blockwiseExact, extendCurve, startCurve, type GrowingCurve } from "./growing-curve.ts";
import { lcbenchSpace, LCBENCH_OUTPUTS, type LcbenchData } from "./lcbench-data.ts";
import type { OnnxSurrogate } from "./onnx-surrogate.ts";

export interface LcbenchObjectiveOptions {
  /** Epoch at which a trial reports `done`; at most the data's 52. @defaultValue 52 */
  maxIterations?: number;
  /** Curves kept in memory, least recently used evicted; a miss costs one surrogate call. @defaultValue 4096 */
  cacheSize?: number;
}

/** Progress of one trial: epochs done. The curve itself is looked up by config (see cache below). */
export interface LcbenchState {
  readonly t: number;
}

/** An LCBench task as a Benchmark: maximise val_accuracy (percent); regret normalised by YAHPO's per-task range. */
export interface LcbenchBenchmark extends Benchmark<LcbenchState> {
  readonly taskId: string;
  /** (max - value) / (max - min) of val_accuracy over YAHPO's data for this task: 0 is the task's best, 1 its worst. */
  normalizedRegret(valAccuracy: number): number;
  /** Surrogate calls made so far (cache misses only: a config's first epochs, then each further block it reaches). */
  readonly surrogateCalls: () => number;
  /**
   * The same task's objective over the same curve cache, predicting each new config's
   * curve whole in one call when `wholeCurves` (FIFO: every trial trains to the end, so
   * blocks would only add calls), else block by block as trials get deeper (the default:
   * ASHA stops most trials at the first rung). Both give the same numbers bit for bit.
   */
  objectiveWith(options: { wholeCurves: boolean }): Objective<LcbenchState>;
}

/**
 * One LCBench task (an OpenML data set) as a simulated trainable.
 *
 * `init` predicts the config's curve in one batched surrogate call: its first
 * 4 epochs and its last 4 (growing by blocks as the trial goes deeper: see
 * GrowingCurve), or all 52 rows with `objectiveWith({ wholeCurves: true })`.
 * `step` t reports epoch t of it, with the epoch's simulated seconds from the
 * surrogate's cumulative `time`. Curves are cached by their
 * (clamped, rounded) inputs outside the state, so the state stays a tiny plain
 * object that checkpoints copy for free; the cache is a pure function of the
 * inputs, so a restore or a PBT clone reads the same curve. A config change
 * (PBT) continues at the same epoch on the new config's curve: the surrogate
 * knows curves of fixed configs only, so that is the nearest it can say.
 * Deterministic: YAHPO's surrogate is noiseless.
 */
export function lcbenchObjective(
  surrogate: OnnxSurrogate,
  data: LcbenchData,
  taskId: string,
  options: LcbenchObjectiveOptions = {},
): LcbenchBenchmark {
  const owner = "lcbenchObjective";
  if (!data.taskCode.has(taskId)) throw new OptionError(`${owner}.task`, `unknown LCBench task "${taskId}"; known: ${data.taskIds.join(", ")}`);
  const maxIterations = options.maxIterations ?? data.maxEpoch;
  if (!Number.isInteger(maxIterations) || maxIterations < 1 || maxIterations > data.maxEpoch) {
    throw new OptionError(`${owner}.maxIterations`, `must be an integer in [1, ${data.maxEpoch}] (LCBench has ${data.maxEpoch} epochs), got ${maxIterations}`);
  }
  const cacheSize = options.cacheSize ?? 4096;
  if (!Number.isInteger(cacheSize) || cacheSize < 1) throw new OptionError(`${owner}.cacheSize`, `must be an integer >= 1, got ${cacheSize}`);
  const stats = data.stats.get(taskId)!;
  const best = stats.val_accuracy.max;
  const range = stats.val_accuracy.max - stats.val_accuracy.min;
  const normalizedRegret = (valAccuracy: number) => (best - valAccuracy) / range;

  // Map iteration order is insertion order: re-inserting on a hit makes the first key the least recently used.
  const cache = new Map<string, GrowingCurve>();
  const code = data.taskCode.get(taskId) as number;
  // Block-wise only where it reproduces the whole curve's numbers exactly (checked once per surrogate, here: before any call is counted).
  const blockwise = blockwiseExact(surrogate, data);
  let calls = 0;
  /** The config's curve with epoch `epoch` known: cached, grown by a block, or started. */
  function curveOf(config: Config, epoch: number, whole: boolean): GrowingCurve {
    const inputs = surrogateInputs(data, config);
    const key = inputs.join(",");
    const hit = cache.get(key);
    const before = surrogate.usage.calls;
    let curve: GrowingCurve;
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      extendCurve(surrogate, data, code, hit, epoch);
      curve = hit;
    } else {
      curve = startCurve(surrogate, data, code, inputs, epoch, whole || !blockwise);
      cache.set(key, curve);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
    }
    calls += surrogate.usage.calls - before;
    return curve;
  }

  const objectiveWith = ({ wholeCurves }: { wholeCurves: boolean }): Objective<LcbenchState> => ({
    name: `lcbench/${taskId}`,
    metrics: [...LCBENCH_OUTPUTS, "normalized_regret"],
    init(config: Config, _rng: RandomStream): LcbenchState {
      curveOf(config, 1, wholeCurves);
      return { t: 0 };
    },
    step(state: LcbenchState, config: Config, _context: StepContext): StepOutcome<LcbenchState> {
      const t = state.t + 1;
      const e = Math.min(t, data.maxEpoch) - 1;
      const curve = curveOf(config, e + 1, wholeCurves);
      const metrics: Record<string, number> = {};
      for (const name of LCBENCH_OUTPUTS) metrics[name] = curve.columns[name][e] as number;
      metrics.normalized_regret = normalizedRegret(metrics.val_accuracy as number);
      return { metrics, seconds: curve.seconds[e] as number, state: { t }, done: t >= maxIterations };
    },
  });
  const objective = objectiveWith({ wholeCurves: false });

  return {
    name: `lcbench/${taskId}`,
    taskId,
    objective,
    space: lcbenchSpace(data),
    optimum: best,
    metric: "val_accuracy",
    mode: "max",
    normalizedRegret,
    surrogateCalls: () => calls,
    objectiveWith,
  };
}
