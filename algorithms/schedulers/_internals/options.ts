import { OptionError } from "../../../core/contracts/index.ts";

/** Eager option checks shared by the schedulers; `field` is the full name, e.g. `ASHAScheduler.maxT`. */
export function positiveNumber(field: string, value: number): number {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
    throw new OptionError(field, `must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

export function nonNegativeNumber(field: string, value: number): number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    throw new OptionError(field, `must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

export function integerAtLeast(field: string, value: number, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new OptionError(field, `must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

export function reductionFactorOption(field: string, value: number): number {
  if (typeof value !== "number" || !(value > 1) || !Number.isFinite(value)) {
    throw new OptionError(field, `must be > 1, got ${String(value)}`);
  }
  return value;
}

export function nonEmptyString(field: string, value: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new OptionError(field, `must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function booleanOption(field: string, value: boolean): boolean {
  if (typeof value !== "boolean") throw new OptionError(field, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** Save-state version check shared by the schedulers' `restore`. */
export function checkVersion(owner: string, state: unknown, version: number): void {
  const got = (state as { version?: unknown } | null)?.version;
  if (got !== version) throw new OptionError(`${owner}.restore`, `unknown state version ${String(got)}, expected ${version}`);
}

/** Milestones are compared with a relative tolerance: maxT * eta^-s is rarely exact in floating point. */
export function reached(time: number, milestone: number): boolean {
  return time >= milestone * (1 - 1e-9);
}
