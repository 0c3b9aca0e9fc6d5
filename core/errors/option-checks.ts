import { OptionError } from "./tunelab-error.ts";

/**
 * The one set of option validators: every numeric, string and boolean check of
 * options, flags and files goes through these, so bounds and messages agree
 * everywhere ("must be an integer >= 1, got 0"). Each returns the value checked.
 */
export interface NumberBounds {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** Values must be strictly greater than this. */
  above?: number;
  integer?: boolean;
}

function describeBounds(bounds: NumberBounds): string {
  const kind = bounds.integer ? "an integer" : "a finite number";
  const parts: string[] = [];
  if (bounds.above !== undefined) parts.push(`> ${bounds.above}`);
  if (bounds.min !== undefined) parts.push(`>= ${bounds.min}`);
  if (bounds.max !== undefined) parts.push(`<= ${bounds.max}`);
  return parts.length === 0 ? kind : `${kind} ${parts.join(" and ")}`;
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** Whether `value` is a number within `bounds`. */
export function withinBounds(value: unknown, bounds: NumberBounds): value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (bounds.integer && !Number.isSafeInteger(value)) return false;
  if (bounds.above !== undefined && !(value > bounds.above)) return false;
  if (bounds.min !== undefined && value < bounds.min) return false;
  if (bounds.max !== undefined && value > bounds.max) return false;
  return true;
}

export function checkNumber(field: string, value: unknown, bounds: NumberBounds = {}): number {
  if (!withinBounds(value, bounds)) throw new OptionError(field, `must be ${describeBounds(bounds)}, got ${show(value)}`);
  return value;
}

export const positiveNumber = (field: string, value: unknown): number => checkNumber(field, value, { above: 0 });
export const nonNegativeNumber = (field: string, value: unknown): number => checkNumber(field, value, { min: 0 });
export const integerAtLeast = (field: string, value: unknown, min: number): number => checkNumber(field, value, { integer: true, min });
export const positiveInteger = (field: string, value: unknown): number => integerAtLeast(field, value, 1);
export const integerOption = (field: string, value: unknown): number => checkNumber(field, value, { integer: true });

export function nonEmptyString(field: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw new OptionError(field, `must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

export function booleanOption(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new OptionError(field, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

export function oneOf<T extends string>(field: string, value: unknown, known: readonly T[]): T {
  if (typeof value !== "string" || !(known as readonly string[]).includes(value)) {
    throw new OptionError(field, `got unknown name ${show(value)}; known: ${known.join(", ")}`);
  }
  return value as T;
}

/** Parses a command-line number with the same bounds and messages as the API's checks. */
export function parseNumberText(field: string, raw: string, bounds: NumberBounds = {}): number {
  const text = raw.trim();
  const value = text === "" ? Number.NaN : Number(text);
  if (bounds.integer && !/^-?\d+$/.test(text)) throw new OptionError(field, `must be ${describeBounds(bounds)}, got ${JSON.stringify(raw)}`);
  if (!withinBounds(value, bounds)) throw new OptionError(field, `must be ${describeBounds(bounds)}, got ${JSON.stringify(raw)}`);
  return value;
}
