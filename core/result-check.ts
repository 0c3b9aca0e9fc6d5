import type { Result } from "./contracts/index.ts";

/**
 * Why a result cannot be used, or undefined when it can: it must report the
 * experiment's metric, and every metric must be a finite number (a NaN is a
 * trial error, never a silent value).
 */
export function invalidMetrics(result: Result, metric: string): string | undefined {
  const metrics = result.metrics;
  if (!(metric in metrics)) return `result has no metric "${metric}" (reported: ${Object.keys(metrics).join(", ") || "none"})`;
  for (const key in metrics) {
    const value = metrics[key] as number;
    if (typeof value !== "number" || !Number.isFinite(value)) return `metric "${key}" is ${String(value)}`;
  }
  return undefined;
}

