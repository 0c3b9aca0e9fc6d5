/**
 * The names `tunelab --help` lists (benchmarks, searchers, schedulers, suites) and
 * the defaults it prints, as plain constants. main.ts registers every command from
 * these without importing the registries behind them: those pull in the algorithms,
 * the simulator and the result writers, and every module a spawn loads costs time
 * in tsx's loader (`tunelab --version` loaded ~470 modules before this file).
 * test/cli/help-names.test.ts checks each list against its registry, so a name
 * added there and not here fails a test rather than going missing from --help.
 */

/** `benchmarkNames` of benchmarks/objectives (lcbench/<task> is listed separately in --benchmark's help). */
export const BENCHMARK_NAMES: readonly string[] = ["branin", "hartmann3", "hartmann6", "rosenbrock4", "pbt-toy", "noisy-lr-schedule", "rl-return"];

/** `searcherNames` of cli/algorithms.ts. */
export const SEARCHER_NAMES: readonly string[] = ["random", "grid", "tpe", "gp", "bohb"];

/** `schedulerNames` of cli/algorithms.ts. */
export const SCHEDULER_NAMES: readonly string[] = ["fifo", "asha", "asha-promotion", "hyperband", "pbt", "pb2", "median", "hyperband-bohb"];

/** The suites benchmarks/suites registers itself (`--import` modules may register more). */
export const BUILTIN_SUITE_NAMES: readonly string[] = ["synthetic", "lcbench", "rl", "schedulers", "search-bohb", "papers"];

/** What `npm start` compares: the schedulers against FIFO under random search, and the model-based searchers. */
export const DEFAULT_PAIRS = [
  "random:fifo",
  "random:asha",
  "random:asha-promotion",
  "random:hyperband",
  "random:median",
  "tpe:fifo",
  "tpe:asha",
  "gp:fifo",
  "bohb:hyperband-bohb",
].join(",");

/**
 * What every pair may spend when no budget and no trial count is given: 2 GPU-hours is about
 * what FIFO spends on 40 full trainings of branin (100 iterations of 1-3 s) on 8 GPUs.
 */
export const DEFAULT_BUDGET_GPU_HOURS = 2;
