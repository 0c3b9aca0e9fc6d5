import { nonNegativeNumber, positiveNumber } from "../../../core/errors/index.ts";

/** A positive finite option value, or an error naming the option (the project's one validator). */
export const positiveOption = (value: number, field: string): number => positiveNumber(field, value);

/** A finite option value >= 0, or an error naming the option. */
export const nonNegativeOption = (value: number, field: string): number => nonNegativeNumber(field, value);
