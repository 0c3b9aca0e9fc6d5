import { OptionError } from "../../core/contracts/index.ts";
import type { Config } from "../../core/contracts/index.ts";
import type { LcbenchData, LcbenchOutput } from "./lcbench-data.ts";
import { LCBENCH_OUTPUTS } from "./lcbench-data.ts";
import { CAT_WIDTH, CONT_WIDTH, OUTPUT_WIDTH, type OnnxSurrogate } from "./onnx-surrogate.ts";

/** One configuration's predicted learning curve: index e - 1 holds epoch e. */
export type LcbenchCurve = Readonly<Record<LcbenchOutput, Float64Array>> & {
  /** Simulated seconds of each epoch (differences of the cumulative `time` output, floored). */
  readonly seconds: Float64Array;
};

/**
 * Hyperparameter values as the network takes them: clamped into
 * config_space.json's bounds (a PBT perturbation may step outside) and integers
 * rounded. Non-numeric or non-finite values throw an OptionError naming the key.
 */
export function surrogateInputs(data: LcbenchData, config: Config): Float64Array {
  const values = new Float64Array(data.parameters.length);
  data.parameters.forEach((p, i) => {
    const value = config[p.name];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new OptionError(`config.${p.name}`, `must be a finite number, got ${String(value)}`);
    }
    const clamped = Math.min(p.upper, Math.max(p.lower, value));
    values[i] = p.integer ? Math.round(clamped) : clamped;
  });
  return values;
}

/**
 * The whole curve of each config in one surrogate call: rows (config c, epoch e)
 * = [task code] and [e, batch_size, learning_rate, momentum, weight_decay,
 * num_layers, max_units, max_dropout] in raw (untransformed) units, as YAHPO
 * Gym feeds the network (its `_config_to_xs`).
 */
export function predictCurves(surrogate: OnnxSurrogate, data: LcbenchData, taskId: string, inputs: readonly Float64Array[]): LcbenchCurve[] {
  const code = data.taskCode.get(taskId);
  if (code === undefined) throw new OptionError("task", `unknown LCBench task "${taskId}"; known: ${data.taskIds.join(", ")}`);
  const epochs = data.maxEpoch;
  const rows = inputs.length * epochs;
  const cat = new Int32Array(rows * CAT_WIDTH).fill(code);
  const cont = new Float32Array(rows * CONT_WIDTH);
  inputs.forEach((values, c) => {
    for (let e = 1; e <= epochs; e++) {
      const at = ((c * epochs) + e - 1) * CONT_WIDTH;
      cont[at] = e;
      cont.set(values, at + 1);
    }
  });
  const out = surrogate.predict(cat, cont, rows);
  return inputs.map((_, c) => curveFrom(out, c * epochs, epochs));
}

function curveFrom(out: Float32Array, firstRow: number, epochs: number): LcbenchCurve {
  const columns = Object.fromEntries(LCBENCH_OUTPUTS.map((name) => [name, new Float64Array(epochs)])) as Record<LcbenchOutput, Float64Array>;
  for (let e = 0; e < epochs; e++) {
    LCBENCH_OUTPUTS.forEach((name, k) => {
      (columns[name] as Float64Array)[e] = out[(firstRow + e) * OUTPUT_WIDTH + k] as number;
    });
  }
  // `time` is cumulative training time; an epoch's cost is its increment. The
  // network is not constrained to be increasing, so an increment is floored at
  // 1% of the mean epoch time (a simulated step must take positive time).
  const time = columns.time;
  const floor = Math.max(1e-6, (0.01 * Math.max(time[epochs - 1] as number, 0)) / epochs);
  const seconds = new Float64Array(epochs);
  let previous = 0;
  for (let e = 0; e < epochs; e++) {
    seconds[e] = Math.max(floor, (time[e] as number) - previous);
    previous = Math.max(previous, time[e] as number);
  }
  return { ...columns, seconds };
}
