import { OptionError } from "../../core/contracts/index.ts";
import { branin, hartmann3, hartmann6, rosenbrock } from "../objectives/functions/index.ts";
import { typicalGap } from "../objectives/_internals/typical-gap.ts";
import { benchmarkByName, benchmarkDefaults, type Benchmark, type BenchmarkDefaults } from "../objectives/index.ts";

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
}

/**
 * How a suite gets a benchmark by name. `load` may be asynchronous (an ONNX surrogate
 * that reads its model file), and runs once per process (worker thread) that needs it.
 */
export interface BenchmarkEntry {
  load(): SuiteBenchmark | Promise<SuiteBenchmark>;
}

const entries = new Map<string, BenchmarkEntry>();
const loaded = new Map<string, Promise<SuiteBenchmark>>();

/**
 * Makes `name` available to suites and `tunelab bench`. A module that registers
 * benchmarks must be imported in every worker: list it in `registrationModules`
 * (benchmarks/suites/registrations.ts) or pass it with `tunelab bench --import`.
 */
export function registerBenchmark(name: string, entry: BenchmarkEntry): void {
  if (name.trim() === "") throw new OptionError("registerBenchmark.name", "must not be empty");
  if (entries.has(name)) throw new OptionError("registerBenchmark.name", `"${name}" is already registered`);
  entries.set(name, entry);
}

export function isBenchmarkRegistered(name: string): boolean {
  return entries.has(name);
}

export function registeredBenchmarks(): string[] {
  return [...entries.keys()];
}

/** The benchmark registered under `name`, loaded once per process. */
export function loadBenchmark(name: string): Promise<SuiteBenchmark> {
  const cached = loaded.get(name);
  if (cached) return cached;
  const entry = entries.get(name);
  if (!entry) {
    const family = name.includes("/") ? ` (no "${name.split("/")[0]}/..." benchmark is registered: import the module that registers them)` : "";
    throw new OptionError("benchmark", `unknown name "${name}"${family}; registered: ${registeredBenchmarks().join(", ")}`);
  }
  const promise = Promise.resolve().then(() => entry.load());
  loaded.set(name, promise);
  return promise;
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
