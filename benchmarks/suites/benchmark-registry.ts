import { OptionError } from "../../core/contracts/index.ts";
import { branin, hartmann3, hartmann6, rosenbrock } from "../objectives/functions/index.ts";
import { typicalGap } from "../objectives/_internals/typical-gap.ts";
import { benchmarkByName, benchmarkDefaults, type Benchmark, type BenchmarkDefaults } from "../objectives/index.ts";
import { LCBENCH_BENCHMARK_PREFIX, lcbenchSuiteBenchmark } from "../lcbench/suite-benchmark.ts";
import { LCBENCH_TASKS } from "./definitions/lcbench-tasks.ts";

/** A benchmark ready for a suite: the objective, its natural budget, and what one unit of normalised regret is. */
export interface SuiteBenchmark {
  readonly benchmark: Benchmark;
  readonly defaults: BenchmarkDefaults;
  /**
   * Regret divided by this is the normalised regret the suite reports (0 at the optimum).
   * Synthetic functions: the regret of a typical random configuration; RL-like ones: the
   * distance from the untrained start to the optimum; LCBench: YAHPO's max - min of the task.
   */
  readonly regretScale: number;
  /**
   * A noiseless metric that measures the incumbent's regret, when the objective reports one
   * (the learning curves' `f`, the limit a configuration converges to): the incumbent is still
   * chosen by the tuned metric, as a user would, but a lucky noisy draw does not count as quality.
   */
  readonly trueMetric?: string;
  /**
   * Cumulative work of the surrogate model behind the benchmark, when it has one (LCBench):
   * the runner records each cell's share. Shared by the benchmarks of one process (thread).
   */
  readonly surrogateUsage?: () => { calls: number; rows: number; seconds: number };
  /**
   * The objective tuned to how deep the scheduler trains (LCBench: whole curves in one
   * surrogate call when every trial trains to the end, blocks of epochs when most stop
   * early). The same numbers either way; only the cost differs. Left out: `benchmark.objective`.
   */
  readonly objectiveFor?: (options: { wholeCurves: boolean }) => Benchmark["objective"];
  /**
   * Why the benchmark can compute no more, once it cannot (LCBench: its surrogate's call
   * timed out), else undefined. The simulator turns an objective's error into a failed
   * trial and goes on, so the runner reads this to fail the cell; the registry then loads
   * the benchmark afresh for the next cell.
   */
  readonly failure?: () => string | undefined;
}

/**
 * How a suite gets a benchmark by name. `load` may be asynchronous (an ONNX surrogate
 * that reads its model file), and runs once per process (worker thread) that needs it.
 */
export interface BenchmarkEntry {
  load(): SuiteBenchmark | Promise<SuiteBenchmark>;
}

/**
 * A family of benchmarks named `<prefix><member>` (e.g. "lcbench/3945"), resolved on
 * first use: `members` lists the valid members, `entry` makes one's BenchmarkEntry.
 * The family's data (an ONNX model) is read only when a member is loaded.
 */
export interface BenchmarkFamily {
  readonly members: readonly string[];
  entry(member: string): BenchmarkEntry;
}

const entries = new Map<string, BenchmarkEntry>();
const families = new Map<string, BenchmarkFamily>();
const loaded = new Map<string, Promise<SuiteBenchmark>>();
/** The benchmarks of `loaded` that have resolved (to see whether one has failed). */
const resolved = new Map<string, SuiteBenchmark>();

/**
 * Makes `name` available to suites and `tunelab bench`. The built-in benchmarks and
 * families (below) exist in every process and worker thread; a module that registers
 * more must be imported in every worker: pass it with `tunelab bench --import`.
 */
export function registerBenchmark(name: string, entry: BenchmarkEntry): void {
  if (name.trim() === "") throw new OptionError("registerBenchmark.name", "must not be empty");
  if (entries.has(name)) throw new OptionError("registerBenchmark.name", `"${name}" is already registered`);
  entries.set(name, entry);
}

/** Makes every `prefix + member` name available, resolved lazily (see BenchmarkFamily). */
export function registerBenchmarkFamily(prefix: string, family: BenchmarkFamily): void {
  if (!/^[^/\s]+\/$/.test(prefix)) throw new OptionError("registerBenchmarkFamily.prefix", `must be a name followed by "/", got "${prefix}"`);
  if (families.has(prefix)) throw new OptionError("registerBenchmarkFamily.prefix", `"${prefix}" is already registered`);
  families.set(prefix, family);
}

/** The family `name` belongs to, with its member part, when it names a known member. */
function familyOf(name: string): { prefix: string; family: BenchmarkFamily; member: string } | undefined {
  const slash = name.indexOf("/");
  if (slash < 0) return undefined;
  const prefix = name.slice(0, slash + 1);
  const family = families.get(prefix);
  return family ? { prefix, family, member: name.slice(slash + 1) } : undefined;
}

export function isBenchmarkRegistered(name: string): boolean {
  if (entries.has(name)) return true;
  const found = familyOf(name);
  return found !== undefined && found.family.members.includes(found.member);
}

/** Registered names; a family shows as `prefix<member>` with its member count. */
export function registeredBenchmarks(): string[] {
  return [...entries.keys(), ...[...families].map(([prefix, f]) => `${prefix}<${f.members.length} members>`)];
}

/** The benchmark registered under `name`, loaded once per process (worker thread), and again after it failed (see SuiteBenchmark.failure). */
export function loadBenchmark(name: string): Promise<SuiteBenchmark> {
  if (resolved.get(name)?.failure?.() !== undefined) {
    loaded.delete(name);
    resolved.delete(name);
  }
  const cached = loaded.get(name);
  if (cached) return cached;
  const entry = entries.get(name) ?? familyEntry(name);
  if (!entry) {
    const family = name.includes("/") ? ` (no "${name.split("/")[0]}/..." benchmark is registered: import the module that registers them)` : "";
    throw new OptionError("benchmark", `unknown name "${name}"${family}; registered: ${registeredBenchmarks().join(", ")}`);
  }
  const promise = Promise.resolve()
    .then(() => entry.load())
    .then(
      (benchmark) => {
        resolved.set(name, benchmark);
        return benchmark;
      },
      (error: unknown) => {
        // Not cached: a later cell tries again (e.g. once the download's network is back).
        loaded.delete(name);
        throw error;
      },
    );
  loaded.set(name, promise);
  return promise;
}

function familyEntry(name: string): BenchmarkEntry | undefined {
  const found = familyOf(name);
  if (!found) return undefined;
  if (!found.family.members.includes(found.member)) {
    throw new OptionError("benchmark", `unknown name "${name}": "${found.member}" is not one of the ${found.family.members.length} ${found.prefix}... members (${found.family.members.join(", ")})`);
  }
  return found.family.entry(found.member);
}

// ---- the built-in objectives ------------------------------------------------

const syntheticScale = { branin: typicalGap(branin), hartmann3: typicalGap(hartmann3), hartmann6: typicalGap(hartmann6), rosenbrock4: typicalGap(rosenbrock(4)) };

/** Distance from the untrained start to the optimum of the RL-like objectives. */
const rlScale: Record<string, (b: Benchmark) => number> = {
  // Q starts at 1.2 - (0.9^2 + 0.9^2) = -0.42 and peaks at 1.2.
  "pbt-toy": () => 1.62,
  // Accuracy and return start at 0.
  "noisy-lr-schedule": (b) => b.optimum,
  "rl-return": (b) => b.optimum,
};

for (const [name, scale] of Object.entries(syntheticScale)) {
  registerBenchmark(name, { load: () => ({ benchmark: benchmarkByName(name, { maxIterations: benchmarkDefaults(name).maxIterations }), defaults: benchmarkDefaults(name), regretScale: scale, trueMetric: "f" }) });
}
for (const [name, scale] of Object.entries(rlScale)) {
  registerBenchmark(name, {
    load: () => {
      const benchmark = benchmarkByName(name);
      return { benchmark, defaults: benchmarkDefaults(name), regretScale: scale(benchmark) };
    },
  });
}

// LCBench through YAHPO's ONNX surrogate: the data is located (or downloaded into the
// cache) and the ONNX session started only when a task is first loaded.
registerBenchmarkFamily(LCBENCH_BENCHMARK_PREFIX, { members: LCBENCH_TASKS, entry: (task) => ({ load: () => lcbenchSuiteBenchmark(task) }) });
