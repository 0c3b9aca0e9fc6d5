import type { NumericDomain } from "./any-domain.ts";
import type { CategoricalDomain } from "./categorical-domain.ts";
import type { Uniform01 } from "./random.ts";
import { unitToValue, normalValue } from "./unit.ts";
import { standardNormal } from "./_internals/normal.ts";

/** One draw from a numeric domain: floats and ints by their unit map, normals by Box-Muller. */
export function sampleNumeric(domain: NumericDomain, random: Uniform01): number {
  if (domain.type === "normal") return normalValue(domain, domain.mean + domain.sd * standardNormal(random));
  return unitToValue(domain, random());
}

/** Uniform option index of a choice. */
export function sampleChoiceIndex(domain: CategoricalDomain<unknown>, random: Uniform01): number {
  return sampleIndex(domain.options.length, random);
}

/** Uniform integer in [0, count). */
export function sampleIndex(count: number, random: Uniform01): number {
  return Math.min(Math.floor(random() * count), count - 1);
}
