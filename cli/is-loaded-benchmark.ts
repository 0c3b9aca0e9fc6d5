/** `--benchmark lcbench/<OpenML task id>`. */
export const LCBENCH_PREFIX = "lcbench/";

/** Benchmarks that need more than the synchronous registry: a surrogate to load, a formula to compile (see load-benchmark.ts). */
export function isLoadedBenchmark(flags: { benchmark: string; formula?: string }): boolean {
  return flags.formula !== undefined || flags.benchmark.startsWith(LCBENCH_PREFIX);
}
