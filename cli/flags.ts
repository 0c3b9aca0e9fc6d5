import { oneOf, parseNumberText } from "../core/errors/index.ts";

/**
 * Command-line values go through the same validators as the API's options, so a
 * flag and its option have one bound and one message. The error is an
 * OptionError whose field is the flag: the CLI prints it as one line and exits 2.
 */
export function parseInteger(flag: string, raw: string, min: number): number {
  return parseNumberText(flag, raw, { integer: true, min });
}

export function parseNumber(flag: string, raw: string, min: number): number {
  return parseNumberText(flag, raw, { min });
}

export function parsePositiveNumber(flag: string, raw: string): number {
  return parseNumberText(flag, raw, { above: 0 });
}

export function parseName<T extends string>(flag: string, raw: string, known: readonly T[]): T {
  return oneOf(flag, raw, known);
}

