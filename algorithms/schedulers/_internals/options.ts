import { checkNumber, SavedStateError } from "../../../core/errors/index.ts";

// Eager option checks shared by the schedulers (`field` is the full name, e.g. `ASHAScheduler.maxT`): the project's one set.
export { booleanOption, integerAtLeast, nonEmptyString, nonNegativeNumber, positiveNumber } from "../../../core/errors/index.ts";

export function reductionFactorOption(field: string, value: number): number {
  return checkNumber(field, value, { above: 1 });
}

/** Save-state version check shared by the schedulers' `restore`. */
export function checkVersion(owner: string, state: unknown, version: number): void {
  const got = (state as { version?: unknown } | null)?.version;
  if (got !== version) throw new SavedStateError(`${owner}.restore`, `unknown state version ${String(got)}, expected ${version}`);
}

/** Milestones are compared with a relative tolerance: maxT * eta^-s is rarely exact in floating point. */
export function reached(time: number, milestone: number): boolean {
  return time >= milestone * (1 - 1e-9);
}
