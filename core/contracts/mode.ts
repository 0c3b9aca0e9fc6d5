import { OptionError } from "./errors.ts";
import type { Mode } from "./result.ts";

/**
 * The one place metric/mode plumbing lives: every algorithm validates its
 * `metric` and `mode` options here and compares values through `better`.
 */
export interface Objectivity {
  readonly metric: string;
  readonly mode: Mode;
  /** +1 for max, -1 for min: `sign * value` is "higher is better". */
  readonly sign: 1 | -1;
}

/** `owner` prefixes the field in errors ("ASHAScheduler.mode"); "" names the experiment's own option ("mode"). */
export function objectivity(options: { metric?: unknown; mode?: unknown }, owner: string): Objectivity {
  const { metric, mode } = options;
  const field = (name: string) => (owner === "" ? name : `${owner}.${name}`);
  if (typeof metric !== "string" || metric.length === 0) {
    throw new OptionError(field("metric"), `needs a non-empty metric name, got ${JSON.stringify(metric)}`);
  }
  if (mode !== "min" && mode !== "max") {
    throw new OptionError(field("mode"), `must be "min" or "max", got ${JSON.stringify(mode)}`);
  }
  return { metric, mode, sign: mode === "max" ? 1 : -1 };
}

/** True when `a` is strictly better than `b` under `mode`. */
export function isBetter(mode: Mode, a: number, b: number): boolean {
  return mode === "max" ? a > b : a < b;
}
