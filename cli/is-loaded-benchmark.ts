/** `--benchmark lcbench/<OpenML task id>`. */
export const LCBENCH_PREFIX = "lcbench/";

/** Benchmarks that need more than the synchronous registry: a surrogate to load, a formula to compile, a recording to read (see load-benchmark.ts). */
export function isLoadedBenchmark(flags: { benchmark: string; formula?: string; replay?: string }): boolean {
  return flags.formula !== undefined || flags.replay !== undefined || flags.benchmark.startsWith(LCBENCH_PREFIX);
}
