import { checkNumber, OptionError } from "../../../core/errors/index.ts";
import type { SelectConfigSettings } from "./select-config.ts";

/** Integer settings of PB2's `model`, each >= its minimum; `maxPending` may also be Infinity (every pick, Ray's). */
const INTEGER_MINIMUM: Record<keyof SelectConfigSettings, number> = {
  minWindow: 1,
  windowStep: 1,
  fitEvaluations: 1,
  refitEvaluations: 1,
  acquisitionStarts: 1,
  acquisitionEvaluations: 1,
  refitPeriod: 1,
  maxPending: 0,
  maxRows: 1,
};

/** Validates PB2's `model` option: a one-line error naming the setting, for an unknown key or a bad value. */
export function checkModelSettings(model: unknown, field: string): SelectConfigSettings {
  if (model === undefined) return {};
  if (typeof model !== "object" || model === null || Array.isArray(model)) throw new OptionError(field, `must be an object, got ${JSON.stringify(model)}`);
  for (const [key, value] of Object.entries(model)) {
    const minimum = INTEGER_MINIMUM[key as keyof SelectConfigSettings];
    if (minimum === undefined) throw new OptionError(`${field}.${key}`, `is not a setting; known: ${Object.keys(INTEGER_MINIMUM).join(", ")}`);
    if (value === undefined || (key === "maxPending" && value === Infinity)) continue;
    checkNumber(`${field}.${key}`, value, { integer: true, min: minimum });
  }
  return model as SelectConfigSettings;
}
