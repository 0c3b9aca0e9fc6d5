import { checkNumber, OptionError, SavedStateError } from "../../../core/errors/index.ts";

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

/**
 * Most rungs (ASHA) or brackets (Hyperband) a reduction factor may make. Both are
 * planned up front and kept in memory, and their count grows as 1 / log(rf): a
 * factor near 1 (1.0001 makes 43,945 Hyperband brackets for maxT 81) would
 * exhaust memory or loop for minutes. 100 allows rf = 2 up to a span of 2^99.
 */
export const MAX_RUNGS = 100;

/**
 * Refuses a reduction factor that makes more than MAX_RUNGS rungs over `span`
 * (maxT / gracePeriod for ASHA, maxT for Hyperband), naming the least factor
 * that fits. `what` says what is counted ("rungs", "brackets").
 */
export function checkRungCount(field: string, reductionFactor: number, span: number, what: string): void {
  if (!(span > 1)) return;
  const count = Math.floor(Math.log(span) / Math.log(reductionFactor) + 1e-9) + 1;
  if (count <= MAX_RUNGS) return;
  const least = Math.ceil(span ** (1 / (MAX_RUNGS - 1)) * 1e4) / 1e4;
  throw new OptionError(
    field,
    `${reductionFactor} makes ${count} ${what} for a span of ${span}; at most ${MAX_RUNGS}, since every one is planned up front and kept in memory: use a reduction factor >= ${least}`,
  );
}
