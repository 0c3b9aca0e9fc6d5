import type { AnyDomain } from "../any-domain.ts";
import type { FloatDomain } from "../float-domain.ts";
import type { IntDomain } from "../int-domain.ts";
import type { NormalDomain } from "../normal-domain.ts";
import { SearchSpaceError } from "../errors.ts";
import { multipleIndexRange } from "./quantize.ts";

/** The problem with a domain's own parameters, or null. Options and grid values are checked by the caller. */
export function domainProblem(domain: AnyDomain): string | null {
  switch (domain.type) {
    case "float":
      return floatProblem(domain);
    case "int":
      return intProblem(domain);
    case "normal":
      return normalProblem(domain);
    case "categorical":
      return Array.isArray(domain.options) && domain.options.length > 0 ? null : "choice needs a non-empty array of options";
    case "grid":
      return Array.isArray(domain.values) && domain.values.length > 0 ? null : "grid needs a non-empty array of values";
    case "function":
      return typeof domain.fn === "function" ? null : "sampleFrom needs a function";
  }
}

function boundsProblem(name: string, low: number, high: number, log: boolean): string | null {
  if (log && !(low > 0)) return `${name} needs 0 < low < high, got low=${low}`;
  if (log && !(low < high)) return `${name} needs 0 < low < high, got low=${low} high=${high}`;
  if (!(low < high)) return `${name} needs low < high, got low=${low} high=${high}`;
  return null;
}

function baseProblem(name: string, base: number | null): string | null {
  if (base === null || (Number.isFinite(base) && base > 0 && base !== 1)) return null;
  return `${name} needs a finite base > 0 and != 1, got base=${base}`;
}

function floatProblem(d: FloatDomain): string | null {
  if (!Number.isFinite(d.low) || !Number.isFinite(d.high)) {
    return `${d.name} needs finite low and high, got low=${d.low} high=${d.high}`;
  }
  const problem = boundsProblem(d.name, d.low, d.high, d.log) ?? baseProblem(d.name, d.base);
  if (problem !== null || d.q === null) return problem;
  if (!(Number.isFinite(d.q) && d.q > 0)) return `${d.name} needs a finite q > 0, got q=${d.q}`;
  const { kMin, kMax } = multipleIndexRange(d.low, d.high, d.q);
  return kMin > kMax ? `${d.name} has no multiple of q=${d.q} in [${d.low}, ${d.high}]` : null;
}

function intProblem(d: IntDomain): string | null {
  if (!Number.isInteger(d.low) || !Number.isInteger(d.high)) {
    return `${d.name} needs integer low and high, got low=${d.low} high=${d.high}`;
  }
  const problem = boundsProblem(d.name, d.low, d.high, d.log) ?? baseProblem(d.name, d.base);
  if (problem !== null) return problem;
  if (!(Number.isInteger(d.q) && d.q > 0)) return `${d.name} needs an integer q > 0, got q=${d.q}`;
  return d.count < 1 ? `${d.name} has no multiple of q=${d.q} in [${d.low}, ${d.high}]` : null;
}

function normalProblem(d: NormalDomain): string | null {
  if (!Number.isFinite(d.mean)) return `${d.name} needs a finite mean, got mean=${d.mean}`;
  if (!(Number.isFinite(d.sd) && d.sd > 0)) return `${d.name} needs a finite sd > 0, got sd=${d.sd}`;
  if (d.q !== null && !(Number.isFinite(d.q) && d.q > 0)) return `${d.name} needs a finite q > 0, got q=${d.q}`;
  return null;
}

/**
 * Returns `domain` if its parameters are valid, else throws a SearchSpaceError
 * whose field is the builder's name (`uniform: needs low < high, got low=5
 * high=1`). The builders call it, so a bad domain fails where it is written;
 * validateSpace checks again with the leaf's path, for domains built otherwise.
 */
export function checkedDomain<D extends AnyDomain>(domain: D): D {
  const problem = domainProblem(domain);
  if (problem === null) return domain;
  const name = domain.name;
  throw new SearchSpaceError(name, problem.startsWith(`${name} `) ? problem.slice(name.length + 1) : problem);
}
