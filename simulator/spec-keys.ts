import { OptionError } from "../core/errors/index.ts";
import { didYouMean } from "../core/space/plain/problems.ts";

/**
 * Refuses a mapping with a key outside `known`: a misspelt cluster option (`maxcount`,
 * `stroms`) would otherwise be ignored and the run would silently use the default. `known`
 * is a `Record<keyof T, true>` at the call sites, so the list cannot drift from the type.
 */
export function checkKnownKeys(field: string, value: unknown, known: Readonly<Record<string, true>>, shape: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new OptionError(field, `must be a mapping ${shape}, got ${value === null ? "null" : Array.isArray(value) ? "a list" : JSON.stringify(value)}`);
  const names = Object.keys(known);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(known, key)) throw new OptionError(`${field}.${key}`, `unknown field${didYouMean(key, names)}; known: ${names.join(", ")}`);
  }
  return value as Record<string, unknown>;
}
