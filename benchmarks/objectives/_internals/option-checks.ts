import { OptionError } from "../../../core/contracts/index.ts";

/** A positive finite option value, or an error naming the option. */
export function positiveOption(value: number, field: string): number {
  if (!(value > 0 && Number.isFinite(value))) throw new OptionError(field, `must be a positive finite number, got ${value}`);
  return value;
}

/** A finite option value >= 0, or an error naming the option. */
export function nonNegativeOption(value: number, field: string): number {
  if (!(value >= 0 && Number.isFinite(value))) throw new OptionError(field, `must be a finite number >= 0, got ${value}`);
  return value;
}
