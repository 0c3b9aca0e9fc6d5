import { OptionError, parseNumberText, type NumberBounds } from "../core/errors/index.ts";

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

/** A simulation size `TRIALS,GPUS` (`--big 100000,10000`): two positive integers; the fallback when absent. */
export function trialsGpusFlag(name: string, raw: string | undefined, fallback: readonly [number, number]): [number, number] {
  if (raw === undefined) return [fallback[0], fallback[1]];
  const parts = numberListFlag(name, raw, { integer: true, min: 1 }) as number[];
  if (parts.length !== 2) throw new OptionError(`--${name}`, `expected TRIALS,GPUS (two positive integers), got "${raw}"`);
  return [parts[0] as number, parts[1] as number];
}
