import type { Result } from "./contracts/index.ts";
import { describe } from "./user-code-checks.ts";

/**
 * Why a result cannot be used, or undefined when it can: it must report the
 * experiment's metric, and every metric must be a finite number (a NaN is a
 * trial error, never a silent value).
 */
export function invalidMetrics(result: Result, metric: string): string | undefined {
  const metrics = result.metrics;
  if (!(metric in metrics)) return `no metric "${metric}" (it reported: ${Object.keys(metrics).join(", ") || "none"})`;
  for (const key in metrics) {
    const value = metrics[key] as number;
    if (typeof value !== "number") return `metric "${key}" is ${describe(value)}, not a number`;
    if (!Number.isFinite(value)) return `metric "${key}" is ${String(value)}`;
  }
  return undefined;
}

