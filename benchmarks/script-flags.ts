import { parseNumberText, type NumberBounds } from "../core/errors/index.ts";

/**
 * Number flags of the benchmark scripts, read from node:util parseArgs' strings (declare
 * them `type: "string"`): absent gives the fallback; present is checked by the project's
 * parseNumberText, so a bad value is one line naming the flag (an OptionError), not a
 * NaN that runs on. One copy instead of a `flag()` helper per script.
 */
export function numberFlag(name: string, raw: string | undefined, fallback: number, bounds: NumberBounds = {}): number {
  return raw === undefined ? fallback : parseNumberText(`--${name}`, raw, bounds);
}

/** A comma list of numbers (`--scan 0.02,0.05`), each checked as numberFlag does; undefined when absent. */
export function numberListFlag(name: string, raw: string | undefined, bounds: NumberBounds = {}): number[] | undefined {
  return raw === undefined ? undefined : raw.split(",").map((text) => parseNumberText(`--${name}`, text, bounds));
}
