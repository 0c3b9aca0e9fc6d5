import { OptionError } from "../../../core/contracts/index.ts";

/**
 * One entry of PB2's `hyperparamBounds`: `[low, high]` (Ray's form, linear), or
 * `{ low, high, log }`. With `log: true` the hyperparameter is normalised,
 * modelled by the GP and chosen in log space, then mapped back by exp (a learning
 * rate in [1e-5, 1e-3] spreads over its decades instead of crowding the low 1%).
 */
export type Pb2Bound = readonly [low: number, high: number] | Pb2BoundSpec;

export interface Pb2BoundSpec {
  readonly low: number;
  readonly high: number;
  /** Model in log space; needs 0 < low. @defaultValue false */
  readonly log?: boolean;
}

/** A validated hyperparameter of PB2. */
export interface Pb2Hyperparam {
  readonly key: string;
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly integer: boolean;
}

/** Validates `hyperparamBounds` and `integerHyperparams`, naming the offending option. */
export function resolveHyperparams(
  bounds: Readonly<Record<string, Pb2Bound>>,
  integerKeys: readonly string[],
  owner: string,
): Pb2Hyperparam[] {
  if (typeof bounds !== "object" || bounds === null || Object.keys(bounds).length === 0) {
    throw new OptionError(`${owner}.hyperparamBounds`, "must name at least one hyperparameter with [low, high] bounds");
  }
  const hyperparams = Object.entries(bounds).map(([key, bound]): Pb2Hyperparam => {
    const field = `${owner}.hyperparamBounds.${key}`;
    const spec = toSpec(bound);
    if (spec === undefined || !Number.isFinite(spec.low) || !Number.isFinite(spec.high) || !(spec.low < spec.high)) {
      throw new OptionError(field, `must be [low, high] with low < high, or { low, high, log }, got ${JSON.stringify(bound)}`);
    }
    if (spec.log !== undefined && typeof spec.log !== "boolean") throw new OptionError(`${field}.log`, `must be a boolean, got ${JSON.stringify(spec.log)}`);
    const log = spec.log ?? false;
    if (log && !(spec.low > 0)) throw new OptionError(field, `log scale needs 0 < low, got low=${spec.low}`);
    return { key, low: spec.low, high: spec.high, log, integer: false };
  });
  for (const key of integerKeys) {
    const index = hyperparams.findIndex((h) => h.key === key);
    if (index < 0) throw new OptionError(`${owner}.integerHyperparams`, `"${key}" is not in hyperparamBounds`);
    hyperparams[index] = { ...(hyperparams[index] as Pb2Hyperparam), integer: true };
  }
  return hyperparams;
}

function toSpec(bound: unknown): Pb2BoundSpec | undefined {
  if (Array.isArray(bound)) return bound.length === 2 ? { low: bound[0] as number, high: bound[1] as number } : undefined;
  if (typeof bound === "object" && bound !== null && "low" in bound && "high" in bound) return bound as Pb2BoundSpec;
  return undefined;
}

/** The bounds the GP sees for `h`: [ln low, ln high] on a log scale. */
export function modelBounds(h: Pb2Hyperparam): readonly [number, number] {
  return h.log ? [Math.log(h.low), Math.log(h.high)] : [h.low, h.high];
}

/** A config value in the GP's units (ln value on a log scale); values outside the bounds stay outside, as Ray's. */
export function toModelUnits(h: Pb2Hyperparam, value: number): number {
  if (!h.log) return value;
  if (!(value > 0)) throw new OptionError(`config.${h.key}`, `PB2 models "${h.key}" on a log scale and needs a positive value, got ${value}`);
  return Math.log(value);
}

/** The config value for a point the GP chose: exp on a log scale, clamped into the bounds, then rounded if integer. */
export function fromModelUnits(h: Pb2Hyperparam, modelValue: number): number {
  const raw = h.log ? Math.exp(modelValue) : modelValue;
  const value = Math.min(h.high, Math.max(h.low, raw));
  return h.integer ? Math.min(Math.floor(h.high), Math.max(Math.ceil(h.low), Math.round(value))) : value;
}
