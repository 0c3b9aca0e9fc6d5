import { OptionError } from "../../../core/contracts/index.ts";
import type { Config } from "../../../core/contracts/index.ts";
import { isDomain, sampleConfig } from "../../../core/space/index.ts";
import type { AnyDomain, Uniform01 } from "../../../core/space/index.ts";

/**
 * How PBT's explore step changes one hyperparameter (Ray Tune's `hyperparam_mutations`):
 * - a Domain (`uniform`, `loguniform`, `randint`, `choice`, ...): resample from it with
 *   `resampleProbability`, else multiply the value by one of `perturbationFactors`.
 *   Unlike Ray, a perturbed float or int is clamped into the domain's bounds (ints
 *   round to the nearest allowed value);
 *   `choice` is treated as continuous, as in Ray (its value is multiplied);
 * - a list of values: resample one with `resampleProbability` (or when the value is not
 *   in the list), else shift one index left or right, clamped at the ends;
 * - a function of a uniform source: resample by calling it (it gets our seeded
 *   stream instead of Python's global `random`), else multiply;
 * - a plain object: the same rules, one level down in the config.
 */
export type Mutation = AnyDomain | readonly unknown[] | MutationFunction | MutationSpec;
export type MutationFunction = (random: Uniform01) => unknown;
export interface MutationSpec {
  readonly [key: string]: Mutation;
}

/** Runs after the built-in mutations with the new config; returns the config to use. */
export type CustomExploreFn = (config: Config, random: Uniform01) => Config;

export interface ExploreSettings {
  readonly resampleProbability: number;
  readonly perturbationFactors: readonly number[];
  readonly customExploreFn?: CustomExploreFn | undefined;
}

/** Checks a mutation spec eagerly and names the offending key. */
export function validateMutations(spec: unknown, path: string): void {
  if (!isPlainObject(spec)) throw new OptionError(path, "must be an object of key -> Domain, list, function or nested object");
  for (const [key, value] of Object.entries(spec)) {
    const field = `${path}.${key}`;
    if (isDomain(value)) {
      if (value.type === "function") {
        throw new OptionError(field, "sampleFrom domains are not supported; use a function of a uniform source or a built-in domain");
      }
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) throw new OptionError(field, "a list of values must not be empty");
      continue;
    }
    if (typeof value === "function") continue;
    if (isPlainObject(value)) {
      validateMutations(value, field);
      continue;
    }
    throw new OptionError(field, `must be a Domain, a list, a function or a nested object, got ${JSON.stringify(value)}`);
  }
}

/** Checks that a trial's config has every key the spec mutates (at every level). */
export function missingMutatedKey(config: Config, spec: MutationSpec, path = ""): string | undefined {
  for (const [key, mutation] of Object.entries(spec)) {
    if (!Object.hasOwn(config, key)) return `${path}${key}`;
    if (!isDomain(mutation) && !Array.isArray(mutation) && typeof mutation !== "function") {
      const nested = config[key];
      if (!isPlainObject(nested)) return `${path}${key}`;
      const missing = missingMutatedKey(nested, mutation as MutationSpec, `${path}${key}.`);
      if (missing !== undefined) return missing;
    }
  }
  return undefined;
}

/** What explore did to each key, for logs ("resample", "* 1.2", "shift left", ...). */
export type ExploreOperations = { [key: string]: string | ExploreOperations };

/**
 * PBT's explore step: a new config from `config` (the donor's), each mutated key
 * changed as `Mutation` says, then `customExploreFn`. Pure: all randomness comes from `random`.
 */
export function explore(
  config: Config,
  spec: MutationSpec,
  settings: ExploreSettings,
  random: Uniform01,
): { config: Config; operations: ExploreOperations } {
  const { config: mutated, operations } = exploreLevel(config, spec, settings, random);
  if (!settings.customExploreFn) return { config: mutated, operations };
  const custom = settings.customExploreFn(mutated, random);
  if (!isPlainObject(custom)) throw new OptionError("customExploreFn", "must return the new config object");
  return { config: custom, operations };
}

function exploreLevel(
  config: Config,
  spec: MutationSpec,
  settings: ExploreSettings,
  random: Uniform01,
): { config: Config; operations: ExploreOperations } {
  const out: Config = structuredClone(config);
  const operations: ExploreOperations = {};
  for (const [key, mutation] of Object.entries(spec)) {
    const old = config[key];
    if (Array.isArray(mutation)) {
      const at = mutation.findIndex((v) => sameValue(v, old));
      if (random() < settings.resampleProbability || at < 0) {
        out[key] = mutation[pickIndex(mutation.length, random)];
        operations[key] = "resample";
      } else {
        const shift = random() < 0.5 ? -1 : 1;
        const to = Math.min(Math.max(at + shift, 0), mutation.length - 1);
        out[key] = mutation[to];
        operations[key] = `shift ${shift < 0 ? "left" : "right"}${to === at ? " (noop)" : ""}`;
      }
      continue;
    }
    if (isDomain(mutation) || typeof mutation === "function") {
      let value: unknown;
      if (random() < settings.resampleProbability) {
        value = isDomain(mutation) ? sampleDomain(mutation, random) : (mutation as MutationFunction)(random);
        operations[key] = "resample";
      } else {
        if (typeof old !== "number") {
          throw new OptionError(`hyperparamMutations.${key}`, `can only multiply a numeric value, got ${JSON.stringify(old)}`);
        }
        const factor = settings.perturbationFactors[pickIndex(settings.perturbationFactors.length, random)] as number;
        value = old * factor;
        operations[key] = `* ${factor}`;
      }
      // An int domain's value stays an integer (Ray truncates ints; JS cannot tell 1 from 1.0, so only int domains round).
      out[key] = isDomain(mutation) ? clampToDomain(mutation, value) : value;
      continue;
    }
    const nested = old;
    if (!isPlainObject(nested)) throw new OptionError(`hyperparamMutations.${key}`, "nested mutations need a nested config object");
    const level = exploreLevel(nested, mutation as MutationSpec, settings, random);
    out[key] = level.config;
    operations[key] = level.operations;
  }
  return { config: out, operations };
}

/** One fresh value of a single domain. */
export function sampleDomain(domain: AnyDomain, random: Uniform01): unknown {
  return sampleConfig({ value: domain }, random, undefined, { gridAsChoice: true })["value"];
}

/** Pulls a perturbed number back into a bounded domain (ints: to the nearest allowed step). */
export function clampToDomain(domain: AnyDomain, value: unknown): unknown {
  if (typeof value !== "number" || !Number.isFinite(value)) return value;
  if (domain.type === "float") {
    const clamped = Math.min(Math.max(value, domain.min), domain.max);
    return domain.q === null ? clamped : Math.min(Math.max(Math.round(clamped / domain.q) * domain.q, domain.min), domain.max);
  }
  if (domain.type === "int") {
    const steps = Math.round((value - domain.min) / domain.q);
    return Math.min(Math.max(domain.min + steps * domain.q, domain.min), domain.max);
  }
  return value;
}

function pickIndex(count: number, random: Uniform01): number {
  return Math.min(Math.floor(random() * count), count - 1);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && a !== null && JSON.stringify(a) === JSON.stringify(b));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
