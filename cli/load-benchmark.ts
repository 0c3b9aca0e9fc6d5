import { existsSync, readFileSync } from "node:fs";
import { formulaObjective } from "../benchmarks/objectives/formula.ts";
import { benchmarkDefaults, type Benchmark, type BenchmarkDefaults } from "../benchmarks/objectives/index.ts";
import { lcbenchDefaults } from "../benchmarks/lcbench/suite-benchmark.ts";
import { loadLcbench } from "../benchmarks/lcbench/index.ts";
import { SearchSpaceError, spaceFromPlain, type Space } from "../core/space/index.ts";
import { OptionError } from "../core/errors/index.ts";

import { LCBENCH_PREFIX } from "./is-loaded-benchmark.ts";

export { isLoadedBenchmark, LCBENCH_PREFIX } from "./is-loaded-benchmark.ts";

export interface LoadedBenchmark {
  readonly benchmark: Benchmark;
  /** Iterations the loaded benchmark runs: --max-iterations capped at the data's (LCBench: 52 epochs), or its own default. */
  readonly maxIterations?: number;
  /** The benchmark's natural budget, when only loading it can tell (LCBench: each task's own PBT interval). */
  readonly defaults?: BenchmarkDefaults;
  close(): Promise<void>;
}

/**
 * Loads `--replay DIR` (a recorded experiment), `--formula` with `--space`, or `--benchmark
 * lcbench/<id>` (data located or downloaded, surrogate started). `maxIterations` is what
 * --max-iterations asked for; left out, the benchmark's own (the learning-curve functions'
 * for a formula or a replay, the task's for LCBench).
 */
export async function loadBenchmark(
  flags: { benchmark: string; formula?: string; space?: string; replay?: string },
  maxIterations?: number,
): Promise<LoadedBenchmark> {
  const generic = maxIterations ?? benchmarkDefaults("branin").maxIterations;
  if (flags.replay !== undefined) {
    if (flags.formula !== undefined) throw new OptionError("--replay", "replays a recording instead of --formula; give one of them");
    const { replayBenchmark } = await import("./replay-benchmark.ts");
    return { ...replayBenchmark(flags.replay, generic), close: async () => {} };
  }
  if (flags.formula !== undefined) {
    if (flags.space === undefined) throw new OptionError("--formula", "needs --space FILE (a JSON object such as {\"x\": {\"uniform\": [-5, 5]}})");
    return { benchmark: formulaObjective(flags.formula, readSpace(flags.space), { maxIterations: generic }), close: async () => {} };
  }
  const task = flags.benchmark.slice(LCBENCH_PREFIX.length);
  const suite = await loadLcbench();
  if (!suite.taskIds.includes(task)) {
    await suite.close();
    throw new OptionError("--benchmark", `got unknown LCBench task "${task}"; known: ${suite.taskIds.map((t) => LCBENCH_PREFIX + t).join(", ")}`);
  }
  const defaults = lcbenchDefaults(suite, task);
  const epochs = Math.min(maxIterations ?? defaults.maxIterations, suite.data.maxEpoch);
  return { benchmark: suite.benchmark(task, { maxIterations: epochs }), maxIterations: epochs, defaults, close: () => suite.close() };
}

/** `--space`: a file holding the space as JSON, or the JSON itself. YAML comes with the experiment-file parser. */
function readSpace(raw: string): Space {
  const text = raw.trim().startsWith("{") ? raw : existsSync(raw) ? readFileSync(raw, "utf8") : undefined;
  if (text === undefined) throw new OptionError("--space", `no such file "${raw}"`);
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch (error) {
    throw new OptionError("--space", `is not JSON (${(error as Error).message}); YAML spaces arrive with the experiment-file parser`);
  }
  try {
    return spaceFromPlain(plain);
  } catch (error) {
    if (error instanceof SearchSpaceError) throw new OptionError("--space", error.message);
    throw error;
  }
}
