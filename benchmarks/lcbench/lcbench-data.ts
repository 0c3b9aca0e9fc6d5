import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SavedStateError } from "../../core/contracts/index.ts";
import { loguniform, qlograndint, randint, uniform, type Space } from "../../core/space/index.ts";

/** The six surrogate outputs, in the network's output order (YAHPO Gym's `y_names` for lcbench). */
export const LCBENCH_OUTPUTS = [
  "time",
  "val_accuracy",
  "val_cross_entropy",
  "val_balanced_accuracy",
  "test_cross_entropy",
  "test_balanced_accuracy",
] as const;
export type LcbenchOutput = (typeof LCBENCH_OUTPUTS)[number];

/** The network's continuous inputs, in order (YAHPO Gym's `cont_names`); `epoch` is the fidelity. */
export const LCBENCH_CONT_INPUTS = [
  "epoch",
  "batch_size",
  "learning_rate",
  "momentum",
  "weight_decay",
  "num_layers",
  "max_units",
  "max_dropout",
] as const;

/** A hyperparameter of config_space.json that TuneLab searches (all but the task and the epoch). */
export interface LcbenchParameter {
  readonly name: string;
  readonly integer: boolean;
  readonly log: boolean;
  readonly lower: number;
  readonly upper: number;
}

/** Everything in the data folder except the model: tasks, space, encoding, per-task statistics. */
export interface LcbenchData {
  readonly dir: string;
  readonly modelPath: string;
  /** OpenML task ids in config_space.json order. */
  readonly taskIds: readonly string[];
  readonly parameters: readonly LcbenchParameter[];
  /** Largest epoch (the fidelity's upper bound: 52). */
  readonly maxEpoch: number;
  /** The integer the network expects for each task id (encoding.json). */
  readonly taskCode: ReadonlyMap<string, number>;
  /** min and max of each output per task over YAHPO's data (instance_target_statistics.csv). */
  readonly stats: ReadonlyMap<string, Readonly<Record<LcbenchOutput, { min: number; max: number }>>>;
}

interface RawHyperparameter {
  name: string;
  type: string;
  log?: boolean;
  lower?: number;
  upper?: number;
  choices?: string[];
}

/** Reads and checks the data folder (config_space.json, encoding.json, instance_target_statistics.csv). */
export function readLcbenchData(dir: string): LcbenchData {
  const raw = JSON.parse(readFileSync(join(dir, "config_space.json"), "utf8")) as { hyperparameters: RawHyperparameter[] };
  const byName = new Map(raw.hyperparameters.map((h) => [h.name, h]));
  const task = byName.get("OpenML_task_id");
  const epoch = byName.get("epoch");
  if (!task?.choices || epoch?.upper === undefined) {
    throw new SavedStateError("", `${dir}/config_space.json: no OpenML_task_id choices or epoch bound`);
  }
  const parameters: LcbenchParameter[] = LCBENCH_CONT_INPUTS.slice(1).map((name) => {
    const h = byName.get(name);
    if (!h || h.lower === undefined || h.upper === undefined) throw new SavedStateError("", `${dir}/config_space.json: no bounds for ${name}`);
    if (h.type !== "uniform_int" && h.type !== "uniform_float") throw new SavedStateError("", `${dir}/config_space.json: ${name} has unsupported type ${h.type}`);
    return { name, integer: h.type === "uniform_int", log: h.log === true, lower: h.lower, upper: h.upper };
  });

  const encoding = JSON.parse(readFileSync(join(dir, "encoding.json"), "utf8")) as { OpenML_task_id: Record<string, number> };
  const taskCode = new Map<string, number>();
  for (const id of task.choices) {
    const code = encoding.OpenML_task_id[id];
    if (code === undefined) throw new SavedStateError("", `${dir}/encoding.json: no code for task ${id}`);
    taskCode.set(id, code);
  }

  const stats = new Map<string, Record<LcbenchOutput, { min: number; max: number }>>();
  const lines = readFileSync(join(dir, "instance_target_statistics.csv"), "utf8").trim().split(/\r?\n/);
  if (lines[0] !== "metric,statistic,value,scenario,instance") throw new SavedStateError("", `${dir}/instance_target_statistics.csv: unexpected header ${lines[0]}`);
  for (const line of lines.slice(1)) {
    const [metric, statistic, value, scenario, instance] = line.split(",");
    if (scenario !== "lcbench" || instance === undefined) continue;
    if (!(LCBENCH_OUTPUTS as readonly string[]).includes(metric as string) || (statistic !== "min" && statistic !== "max")) continue;
    const entry = stats.get(instance) ?? (Object.fromEntries(LCBENCH_OUTPUTS.map((o) => [o, { min: Number.NaN, max: Number.NaN }])) as Record<LcbenchOutput, { min: number; max: number }>);
    entry[metric as LcbenchOutput][statistic] = Number(value);
    stats.set(instance, entry);
  }
  for (const id of task.choices) {
    const entry = stats.get(id);
    if (!entry || LCBENCH_OUTPUTS.some((o) => !Number.isFinite(entry[o].min) || !Number.isFinite(entry[o].max))) {
      throw new SavedStateError("", `${dir}/instance_target_statistics.csv: missing min/max for task ${id}`);
    }
  }
  return { dir, modelPath: join(dir, "model.onnx"), taskIds: task.choices, parameters, maxEpoch: epoch.upper, taskCode, stats };
}

/**
 * The search space of config_space.json in TuneLab domains. Integer bounds
 * there are inclusive: a linear integer becomes randint(lower, upper + 1)
 * (TuneLab's randint has an exclusive high, as Ray's), a log integer becomes
 * qlograndint(lower, upper, 1), which rounds a log-uniform draw to the nearest
 * integer inside both bounds, as YAHPO's own trafo round(exp(x)) does.
 */
export function lcbenchSpace(data: LcbenchData): Space {
  return Object.fromEntries(
    data.parameters.map((p) => {
      if (p.integer) return [p.name, p.log ? qlograndint(p.lower, p.upper, 1) : randint(p.lower, p.upper + 1)];
      return [p.name, p.log ? loguniform(p.lower, p.upper) : uniform(p.lower, p.upper)];
    }),
  );
}
