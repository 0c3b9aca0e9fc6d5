import type { Config } from "../space/index.ts";

export type { Config };
export type Mode = "min" | "max";
/** Anything `JSON.stringify` round-trips exactly. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * One reported result. `iteration` is Ray Tune's `training_iteration` (1-based);
 * `time` is the loop clock in seconds when the result arrived; `timeTotal` the
 * seconds the trial itself has trained (Ray's `time_total_s`).
 */
export interface Result {
  readonly trialId: string;
  readonly iteration: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly time: number;
  readonly timeTotal: number;
  readonly done?: boolean;
}

/** Reads `metric` of a result, or undefined when the result lacks it. */
export function metricOf(result: Result, metric: string): number | undefined {
  return result.metrics[metric];
}

/** Value of a result attribute that schedulers use as their time axis. */
export function timeAttrOf(result: Result, timeAttr: string): number | undefined {
  if (timeAttr === "training_iteration") return result.iteration;
  if (timeAttr === "time_total_s") return result.timeTotal;
  return result.metrics[timeAttr];
}
