import { z } from "zod";
import { booleanOption, checkNumber, nonEmptyString, oneOf, type NumberBounds } from "../../core/errors/index.ts";

/**
 * Zod field types whose checks and messages are the project's own option validators
 * (core/errors/option-checks.ts), so `trials: 0` in a file reads exactly like `--trials 0`
 * on the command line: "must be an integer >= 1, got 0". Zod supplies the structure (paths,
 * required and unknown keys, all issues at once); these supply the words.
 */
function checked<T>(check: (value: unknown) => T) {
  return z.any().transform((value, ctx): T => {
    if (value === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "is required" });
      return z.NEVER;
    }
    try {
      return check(value);
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  });
}

/** A number within bounds ("" field: the validator's message is the bare problem). */
export const numberField = (bounds: NumberBounds) => checked((v) => checkNumber("", v, bounds));
export const stringField = () => checked((v) => nonEmptyString("", v));
export const booleanField = () => checked((v) => booleanOption("", v));
export const nameField = <T extends string>(known: readonly T[]) => checked((v) => oneOf("", v, known));
