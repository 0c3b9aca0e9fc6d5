import type { NumericDomain } from "./any-domain.ts";
import type { FloatDomain } from "./float-domain.ts";
import type { IntDomain } from "./int-domain.ts";
import type { NormalDomain } from "./normal-domain.ts";
import { normalCdf, normalQuantile } from "./_internals/normal.ts";
import { clamp, previousFloat, roundToMultiple, snapToMultiple } from "./_internals/quantize.ts";

/** Normal domains map through the CDF; u is kept this far from 0 and 1 so the quantile is finite. */
export const NORMAL_UNIT_MARGIN = 1e-12;

/**
 * Maps a valid value of a numeric domain to [0, 1]: linear, or linear in log space for log
 * domains; integers go to the centre of their cell; normal domains through the normal CDF.
 * `unitToValue(d, valueToUnit(d, v)) === v` for integer and quantized domains, and within
 * ~1e-12 relative for continuous ones.
 */
export function valueToUnit(domain: NumericDomain, value: number): number {
  switch (domain.type) {
    case "float":
      return clamp(floatToUnit(domain, value), 0, 1);
    case "int":
      return intToUnit(domain, value);
    case "normal":
      return clamp(normalCdf((value - domain.mean) / domain.sd), NORMAL_UNIT_MARGIN, 1 - NORMAL_UNIT_MARGIN);
  }
}

/** Inverse of valueToUnit; u outside [0, 1] is clamped. Sampling a float or int domain is `unitToValue(d, random())`. */
export function unitToValue(domain: NumericDomain, u: number): number {
  const unit = clamp(Number.isNaN(u) ? 0.5 : u, 0, 1);
  switch (domain.type) {
    case "float":
      return unitToFloat(domain, unit);
    case "int":
      return unitToInt(domain, unit);
    case "normal":
      return normalValue(domain, domain.mean + domain.sd * normalQuantile(clamp(unit, NORMAL_UNIT_MARGIN, 1 - NORMAL_UNIT_MARGIN)));
  }
}

/** Applies qrandn's rounding to a raw normal draw. */
export function normalValue(domain: NormalDomain, raw: number): number {
  return domain.q === null ? raw : roundToMultiple(raw, domain.q);
}

function floatToUnit(d: FloatDomain, v: number): number {
  if (d.log) return (Math.log(v) - Math.log(d.low)) / (Math.log(d.high) - Math.log(d.low));
  return (v - d.low) / (d.high - d.low);
}

function unitToFloat(d: FloatDomain, u: number): number {
  const raw = d.log
    ? Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low)))
    : d.low + u * (d.high - d.low);
  if (d.q !== null) return snapToMultiple(raw, d.q, d.low, d.high);
  return clamp(raw, d.low, previousFloat(d.high));
}

function intToUnit(d: IntDomain, v: number): number {
  const index = clamp(Math.round((v - d.min) / d.q), 0, d.count - 1);
  if (!d.log) return (index + 0.5) / d.count;
  // Centre, in log space, of the interval that unitToInt maps back to this value.
  const value = d.min + index * d.q;
  const [cellLow, cellHigh] = d.highInclusive
    ? [Math.max(d.low, value - d.q / 2), Math.min(d.high, value + d.q / 2)]
    : [value, value + 1];
  const logLow = Math.log(d.low);
  return ((Math.log(cellLow) + Math.log(cellHigh)) / 2 - logLow) / (Math.log(d.high) - logLow);
}

function unitToInt(d: IntDomain, u: number): number {
  if (!d.log) return d.min + clamp(Math.floor(u * d.count), 0, d.count - 1) * d.q;
  const raw = Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low)));
  const value = d.highInclusive ? Math.round(raw / d.q) * d.q : Math.floor(raw);
  return clamp(value, d.min, d.max);
}
