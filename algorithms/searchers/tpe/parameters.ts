import type { Config } from "../../../core/contracts/index.ts";
import type { Uniform01 } from "../../../core/space/index.ts";
import { createEncoding, unitToValue, valueToUnit, type EncodedDimension, type NumericDomain, type Space, type SpaceEncoding } from "../../../core/space/index.ts";
import type { ParzenParameter } from "./parzen-estimator.ts";

/**
 * The bridge between the search-space DSL and TPE's internal values, mirroring Optuna's
 * distributions: a float stays itself (log ones go to log space), a quantized float or an
 * integer gets bounds widened by half a step and a bin-mass kernel, a log integer is a
 * continuous log-space parameter rounded back (Optuna's IntDistribution(log=True)), a
 * normal domain is its CDF value in (0, 1), a choice or grid is its index.
 * Conditional leaves are NaN when their branch is not taken.
 */
export interface TpeParameter {
  readonly dimension: EncodedDimension;
  readonly parzen: ParzenParameter;
  /** Indices (into the table) of the choices that must take `option` for this one to be active. */
  readonly conditions: ReadonlyArray<{ readonly parameter: number; readonly option: number }>;
  /** Parameters with the same conditions form one group (Optuna's `group=True`). */
  readonly group: number;
}

export class ParameterTable {
  readonly parameters: readonly TpeParameter[];
  readonly groups: readonly (readonly number[])[];
  private readonly encoding: SpaceEncoding;

  constructor(space: Space) {
    this.encoding = createEncoding(space, { categorical: "index" });
    const indexByPath = new Map(this.encoding.dimensions.map((d, i) => [d.path, i]));
    const groupKeys = new Map<string, number>();
    const groups: number[][] = [];
    this.parameters = this.encoding.dimensions.map((dimension, i) => {
      const conditions = dimension.activeWhen.map((c) => ({ parameter: indexByPath.get(c.path) as number, option: c.option }));
      const key = JSON.stringify(conditions);
      let group = groupKeys.get(key);
      if (group === undefined) {
        group = groups.length;
        groupKeys.set(key, group);
        groups.push([]);
      }
      (groups[group] as number[]).push(i);
      return { dimension, parzen: parzenParameter(dimension), conditions, group };
    });
    this.groups = groups;
  }

  get size(): number {
    return this.parameters.length;
  }

  /** Whether parameter p is active given the (already chosen) values of its parent choices. */
  isActive(p: number, values: ArrayLike<number>): boolean {
    for (const condition of (this.parameters[p] as TpeParameter).conditions) {
      if (values[condition.parameter] !== condition.option) return false;
    }
    return true;
  }

  /** A uniform draw from parameter p's domain, as an internal value (Optuna's RandomSampler). */
  randomInternal(p: number, uniform: Uniform01): number {
    const { dimension } = this.parameters[p] as TpeParameter;
    if (dimension.kind === "categorical") return Math.min(Math.floor(uniform() * categories(dimension)), categories(dimension) - 1);
    return this.toInternal(p, unitToValue(dimension.domain as NumericDomain, uniform()));
  }

  /** Snaps an internal value onto the domain (rounding, bounds) and returns it as an internal value again. */
  canonical(p: number, x: number): number {
    const { dimension } = this.parameters[p] as TpeParameter;
    if (dimension.kind === "categorical") return x;
    return this.toInternal(p, this.toValue(p, x));
  }

  /** The config for a vector of internal values (NaN where inactive). */
  toConfig(internal: ArrayLike<number>, random?: Uniform01): Config {
    const unit = new Float64Array(this.encoding.size).fill(0.5);
    this.parameters.forEach(({ dimension }, p) => {
      const x = internal[p] as number;
      if (Number.isNaN(x)) return;
      unit[dimension.offset] =
        dimension.kind === "categorical" ? (x + 0.5) / categories(dimension) : valueToUnit(dimension.domain as NumericDomain, this.toValue(p, x));
    });
    return this.encoding.decode(unit, random);
  }

  private toInternal(p: number, value: number): number {
    const { dimension } = this.parameters[p] as TpeParameter;
    const domain = dimension.domain as NumericDomain;
    if (domain.type === "normal") return valueToUnit(domain, value);
    return domain.log ? Math.log(value) : value;
  }

  private toValue(p: number, x: number): number {
    const { dimension, parzen } = this.parameters[p] as TpeParameter;
    const domain = dimension.domain as NumericDomain;
    if (parzen.kind !== "numeric") return x;
    if (domain.type === "normal") return unitToValue(domain, x);
    const clamped = Math.min(Math.max(x, parzen.low), parzen.high);
    if (domain.type === "int") {
      const raw = domain.log ? Math.exp(clamped) : clamped;
      const k = Math.round((raw - domain.min) / domain.q);
      return Math.min(Math.max(domain.min + k * domain.q, domain.min), domain.max);
    }
    // Floats: unitToValue applies q snapping and the exclusive upper bound.
    const span = domain.log ? Math.log(domain.high) - Math.log(domain.low) : domain.high - domain.low;
    const start = domain.log ? Math.log(domain.low) : domain.low;
    return unitToValue(domain, (clamped - start) / span);
  }
}

function categories(dimension: EncodedDimension): number {
  const domain = dimension.domain;
  return domain.type === "categorical" ? domain.options.length : domain.type === "grid" ? domain.values.length : 0;
}

function parzenParameter(dimension: EncodedDimension): ParzenParameter {
  if (dimension.kind === "categorical") return { kind: "categorical", choices: categories(dimension) };
  const domain = dimension.domain as NumericDomain;
  switch (domain.type) {
    case "normal":
      return { kind: "numeric", low: 0, high: 1, step: null };
    case "int":
      if (domain.log) return { kind: "numeric", low: Math.log(domain.min - domain.q / 2), high: Math.log(domain.max + domain.q / 2), step: null };
      return { kind: "numeric", low: domain.min - domain.q / 2, high: domain.max + domain.q / 2, step: domain.q };
    case "float":
      if (domain.log) return { kind: "numeric", low: Math.log(domain.low), high: Math.log(domain.high), step: null };
      if (domain.q !== null) return { kind: "numeric", low: domain.min - domain.q / 2, high: domain.max + domain.q / 2, step: domain.q };
      return { kind: "numeric", low: domain.low, high: domain.high, step: null };
  }
}
