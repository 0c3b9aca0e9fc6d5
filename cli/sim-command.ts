import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchmarkByName, benchmarkDefaults, benchmarkNames, type Benchmark, type BenchmarkDefaults } from "../benchmarks/objectives/index.ts";
import type { ComputeBudget } from "../core/stoppers/index.ts";
import { checkTrialCount } from "../core/experiment/index.ts";
import { simulate, type ClusterSpec } from "../simulator/index.ts";
import { clusterFromFlags, type ClusterFlags } from "./cluster-flags.ts";
import { schedulerFactories, schedulerNames, searcherFactories, searcherNames, type AlgorithmContext } from "./algorithms.ts";
import { OptionError, parseNumberText } from "../core/errors/index.ts";
import { parseInteger, parseName, parseNumber, parsePositiveNumber } from "./flags.ts";
import { checkRungCount, RESOURCE_POLICIES, type ResourceChangingSpec } from "../algorithms/schedulers/index.ts";
import { parseResourceScaling } from "../core/resource-scaling.ts";
import type { ResourceScaling } from "../core/contracts/index.ts";
import { checkFlagsApply, combinationWarnings } from "./flag-rules.ts";
import { formatSummary } from "./format-summary.ts";
import { isLoadedBenchmark } from "./is-loaded-benchmark.ts";
import { openTraceFile } from "./trace-file.ts";
import { simulationReport, type SimulationReport } from "./simulation-report.ts";
import { progressSetting } from "./progress-flag.ts";
import type { LoadedBenchmark } from "./load-benchmark.ts";

/** Raw `tunelab sim` flags as commander hands them over (strings, checked here). */
export interface SimFlags extends ClusterFlags {
  benchmark: string;
  searcher: string;
  scheduler: string;
  /** Left out: 50, or unlimited with a budget. */
  trials?: string;
  gpus: string;
  seed: string;
  /** Left out: the benchmark's natural budget (benchmarkDefaults). */
  maxIterations?: string;
  budgetSeconds?: string;
  budgetGpuHours?: string;
  preemptionRate: string;
  gpusPerTrial: string;
  checkpointFrequency: string;
  maxFailures: string;
  keepCheckpoints?: string;
  maxT?: string;
  gracePeriod?: string;
  reductionFactor?: string;
  perturbationInterval?: string;
  gridPoints?: string;
  resourceChanging?: string;
  increaseByGpus?: string;
  increaseByTimes?: string;
  reserveGpus?: string;
  resourceScaling?: string;
  trace?: string;
  out?: string;
  report?: string | boolean;
  progress?: boolean;
  /** No progress and no notes on stderr (errors and warnings still show). */
  quiet?: boolean;
  json?: boolean;
  /** A mathjs loss over --space's parameters, instead of --benchmark. */
  formula?: string;
  space?: string;
  /** A recorded experiment directory to replay, instead of --benchmark. */
  replay?: string;
}

export interface SimPlan {
  benchmark: string;
  searcher: keyof typeof searcherFactories;
  scheduler: keyof typeof schedulerFactories;
  /** Infinity: trials keep coming while the budget lasts. */
  trials: number;
  gpus: number;
  seed: number;
  maxIterations: number;
  budget?: ComputeBudget;
  preemptionRate: number;
  /** The simulated cluster (from --gpus, --preemption-rate, --cluster, --storm, --max-nodes, ...). */
  cluster: ClusterSpec;
  gpusPerTrial: number;
  checkpointFrequency: number;
  maxFailures: number;
  keepCheckpoints?: number;
  maxT?: number;
  gracePeriod?: number;
  reductionFactor?: number;
  perturbationInterval?: number;
  gridPoints?: number;
  resourceChanging?: ResourceChangingSpec;
  resourceScaling?: ResourceScaling;
}

/** The scheduler- and searcher-specific flags given, by flag name. */
function givenAlgorithmFlags(flags: SimFlags): string[] {
  const given: Array<[string, string | undefined]> = [
    ["--max-t", flags.maxT],
    ["--grace-period", flags.gracePeriod],
    ["--reduction-factor", flags.reductionFactor],
    ["--perturbation-interval", flags.perturbationInterval],
    ["--grid-points", flags.gridPoints],
  ];
  return given.filter(([, value]) => value !== undefined).map(([flag]) => flag);
}

/**
 * The run a set of flags asks for. `natural` is the benchmark's own budget when it is
 * known only once loaded (LCBench: 52 epochs, ASHA's first rung at epoch 1, PBT every
 * 4 median epochs of the task); left out, the registered benchmark's, and formulas and
 * replays take the learning-curve functions'.
 */
export function planFromFlags(flags: SimFlags, natural?: BenchmarkDefaults): SimPlan {
  const gpusPerTrial = parseNumber("--gpus-per-trial", flags.gpusPerTrial, 0);
  if (gpusPerTrial > 1 && !Number.isInteger(gpusPerTrial)) {
    parseInteger("--gpus-per-trial", flags.gpusPerTrial, 1);
  }
  const benchmark = flags.replay !== undefined ? "replay" : flags.formula !== undefined ? "formula" : isLoadedBenchmark(flags) ? flags.benchmark : parseName("--benchmark", flags.benchmark, benchmarkNames);
  const searcher = parseName("--searcher", flags.searcher, searcherNames);
  const scheduler = parseName("--scheduler", flags.scheduler, schedulerNames);
  checkFlagsApply(givenAlgorithmFlags(flags), { searcher, scheduler });
  // The benchmark's natural budget fills what the flags leave out (ASHA's grace period only: the median rule's is in seconds).
  natural ??= benchmarkDefaults(benchmarkNames.includes(benchmark) ? benchmark : "branin");
  const budget = budgetFromFlags(flags);
  if (searcher === "grid" && flags.trials === undefined && budget) throw new OptionError("--trials", "is needed with --searcher grid and a budget (the grid's size)");
  const cluster = clusterFromFlags(flags);
  const maxIterations = flags.maxIterations !== undefined ? parseInteger("--max-iterations", flags.maxIterations, 1) : natural.maxIterations;
  const maxT = flags.maxT !== undefined ? parsePositiveNumber("--max-t", flags.maxT) : undefined;
  const gracePeriod =
    flags.gracePeriod !== undefined
      ? parseGracePeriod(flags.gracePeriod, scheduler, maxT ?? maxIterations, maxT === undefined)
      : scheduler.startsWith("asha")
        ? natural.gracePeriod
        : undefined;
  const reductionFactor = flags.reductionFactor !== undefined ? parseReductionFactor(flags.reductionFactor) : undefined;
  if (reductionFactor !== undefined) {
    // The schedulers refuse it too; checked here so the message names the flag.
    if (scheduler === "asha" || scheduler === "asha-promotion") checkRungCount("--reduction-factor", reductionFactor, (maxT ?? maxIterations) / (gracePeriod ?? 1), "rungs");
    else checkRungCount("--reduction-factor", reductionFactor, maxT ?? Math.min(81, maxIterations), "brackets");
  }
  return {
    benchmark,
    searcher,
    scheduler,
    trials: flags.trials !== undefined ? checkTrialCount("--trials", parseInteger("--trials", flags.trials, 1)) : budget ? Number.POSITIVE_INFINITY : 50,
    gpus: cluster.gpus ?? 0,
    seed: parseInteger("--seed", flags.seed, 0),
    maxIterations,
    ...(budget ? { budget } : {}),
    preemptionRate: cluster.preemptionRate ?? 0,
    cluster,
    gpusPerTrial,
    checkpointFrequency: parseInteger("--checkpoint-frequency", flags.checkpointFrequency, 0),
    maxFailures: parseInteger("--max-failures", flags.maxFailures, -1),
    ...(flags.keepCheckpoints !== undefined ? { keepCheckpoints: parseInteger("--keep-checkpoints", flags.keepCheckpoints, 1) } : {}),
    ...(maxT !== undefined ? { maxT } : {}),
    ...(gracePeriod !== undefined ? { gracePeriod } : {}),
    ...(reductionFactor !== undefined ? { reductionFactor } : {}),
    perturbationInterval: flags.perturbationInterval !== undefined ? parsePositiveNumber("--perturbation-interval", flags.perturbationInterval) : natural.perturbationInterval,
    ...(flags.gridPoints !== undefined ? { gridPoints: parseInteger("--grid-points", flags.gridPoints, 1) } : {}),
    ...resourceChangingFromFlags(flags),
    ...(flags.resourceScaling !== undefined ? { resourceScaling: parseResourceScaling("--resource-scaling", flags.resourceScaling) } : {}),
  };
}

/** `--resource-changing` and the flags that tune it (refused without it: they would do nothing). */
function resourceChangingFromFlags(flags: SimFlags): { resourceChanging?: ResourceChangingSpec } {
  const tuning: Array<[string, string | undefined]> = [
    ["--increase-by-gpus", flags.increaseByGpus],
    ["--increase-by-times", flags.increaseByTimes],
    ["--reserve-gpus", flags.reserveGpus],
  ];
  if (flags.resourceChanging === undefined) {
    const stray = tuning.find(([, value]) => value !== undefined);
    if (stray) throw new OptionError(stray[0], "applies only with --resource-changing");
    return {};
  }
  if (flags.increaseByTimes !== undefined && flags.increaseByGpus === undefined) {
    throw new OptionError("--increase-by-times", "needs --increase-by-gpus (as in Ray, the limit counts increaseBy steps)");
  }
  return {
    resourceChanging: {
      policy: parseName("--resource-changing", flags.resourceChanging, RESOURCE_POLICIES),
      ...(flags.increaseByGpus !== undefined ? { increaseBy: { gpu: parsePositiveNumber("--increase-by-gpus", flags.increaseByGpus) } } : {}),
      ...(flags.increaseByTimes !== undefined ? { increaseByTimes: parseInteger("--increase-by-times", flags.increaseByTimes, 1) } : {}),
      ...(flags.reserveGpus !== undefined ? { reserveResources: { gpu: parseNumber("--reserve-gpus", flags.reserveGpus, 0) } } : {}),
    },
  };
}

/** `--budget-seconds` and `--budget-gpu-hours` as a ComputeBudget; undefined when neither is given. */
export function budgetFromFlags(flags: { budgetSeconds?: string; budgetGpuHours?: string }): ComputeBudget | undefined {
  if (flags.budgetSeconds === undefined && flags.budgetGpuHours === undefined) return undefined;
  return {
    ...(flags.budgetSeconds !== undefined ? { seconds: parsePositiveNumber("--budget-seconds", flags.budgetSeconds) } : {}),
    ...(flags.budgetGpuHours !== undefined ? { gpuHours: parsePositiveNumber("--budget-gpu-hours", flags.budgetGpuHours) } : {}),
  };
}

/** Runs one planned simulation; `trace` receives JSONL lines when given. */
export function runPlan(
  plan: SimPlan,
  trace?: (line: string) => void,
  storagePath?: string,
  progress?: boolean | "auto",
  bench: Benchmark = benchmarkByName(plan.benchmark, { maxIterations: plan.maxIterations }),
): SimulationReport {
  const context: AlgorithmContext = {
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    seed: plan.seed,
    trials: plan.trials,
    maxIterations: plan.maxIterations,
    ...(plan.maxT !== undefined ? { maxT: plan.maxT } : {}),
    ...(plan.gracePeriod !== undefined ? { gracePeriod: plan.gracePeriod } : {}),
    ...(plan.reductionFactor !== undefined ? { reductionFactor: plan.reductionFactor } : {}),
    ...(plan.perturbationInterval !== undefined ? { perturbationInterval: plan.perturbationInterval } : {}),
    ...(plan.gridPoints !== undefined ? { gridPoints: plan.gridPoints } : {}),
  };
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: plan.trials,
    seed: plan.seed,
    searcher: searcherFactories[plan.searcher](context),
    scheduler: schedulerFactories[plan.scheduler](context),
    cluster: plan.cluster,
    resources: { cpu: 1, gpu: plan.gpusPerTrial },
    maxIterations: plan.maxIterations,
    ...(plan.budget ? { budget: plan.budget } : {}),
    checkpointFrequency: plan.checkpointFrequency,
    maxFailures: plan.maxFailures,
    ...(plan.keepCheckpoints !== undefined ? { keepCheckpoints: plan.keepCheckpoints } : {}),
    ...(plan.resourceChanging !== undefined ? { resourceChanging: plan.resourceChanging } : {}),
    ...(plan.resourceScaling !== undefined ? { resourceScaling: plan.resourceScaling } : {}),
    ...(trace ? { trace } : {}),
    ...(storagePath !== undefined ? { storagePath } : {}),
    ...(progress !== undefined ? { progress } : {}),
  });
  return simulationReport(run, bench, { benchmark: plan.benchmark, searcher: plan.searcher, scheduler: plan.scheduler });
}

/**
 * The plan and, for --formula, --replay and LCBench, the loaded benchmark (close it after
 * the run). An LCBench task's natural budget is known only once its surrogate is loaded,
 * so the flags are planned twice: first with the generic defaults (a bad flag fails
 * before anything loads), then with the task's own.
 */
export async function planAndLoad(flags: SimFlags): Promise<{ plan: SimPlan; loaded?: LoadedBenchmark }> {
  let plan = planFromFlags(flags);
  // Loaded on use: onnxruntime and mathjs stay out of the start-up of runs that do not need them.
  const loaded = isLoadedBenchmark(flags)
    ? await (await import("./load-benchmark.ts")).loadBenchmark(flags, flags.maxIterations !== undefined ? plan.maxIterations : undefined)
    : undefined;
  try {
    // An LCBench task's own budget replaces the generic one the first plan had to assume.
    if (loaded?.defaults !== undefined) plan = planFromFlags(flags, loaded.defaults);
    // LCBench has 52 epochs: the run (and ASHA/HyperBand's max_t) stops there.
    if (loaded?.maxIterations !== undefined) plan = { ...plan, maxIterations: loaded.maxIterations };
  } catch (error) {
    await loaded?.close();
    throw error;
  }
  return loaded ? { plan, loaded } : { plan };
}

export async function simCommand(flags: SimFlags): Promise<void> {
  const { plan, loaded } = await planAndLoad(flags);
  const progress = progressSetting(flags);
  for (const warning of combinationWarnings(plan)) process.stderr.write(`tunelab: warning: ${warning}\n`);
  // Opened before the run: a bad path fails in a second, not after the whole run.
  let traceFile: ReturnType<typeof openTraceFile> | undefined;
  try {
    traceFile = flags.trace !== undefined ? openTraceFile("--trace", flags.trace) : undefined;
  } catch (error) {
    await loaded?.close();
    throw error;
  }
  // A report reads the experiment directory: without --out, the run writes one to a temporary folder.
  const out = flags.out ?? (flags.report !== undefined ? mkdtempSync(join(tmpdir(), "tunelab-sim-")) : undefined);
  let summary: ReturnType<typeof runPlan>;
  try {
    summary = runPlan(plan, traceFile ? (line) => traceFile.write(line) : undefined, out, progress, loaded?.benchmark);
  } finally {
    traceFile?.close();
    await loaded?.close();
  }
  if (flags.json) process.stdout.write(JSON.stringify(summary) + "\n");
  else process.stdout.write(formatSummary(summary));
  if (flags.report !== undefined && out !== undefined) {
    // Loaded on use: the report (and arquero behind it) stays out of every run without --report.
    const { writeReport } = await import("./report-command.ts");
    const file = await writeReport([out], "html", typeof flags.report === "string" ? flags.report : "report.html");
    if (flags.quiet !== true) process.stderr.write(`tunelab: wrote ${file}\n`);
  }
}

/**
 * ASHA's grace period is its first rung, in iterations: > 0 and below max-t. The
 * median rule's is seconds before any stop: >= 0.
 */
function parseGracePeriod(raw: string, scheduler: string, maxT: number, maxTFromIterations: boolean): number {
  if (scheduler === "median") return parseNumber("--grace-period", raw, 0);
  const grace = parsePositiveNumber("--grace-period", raw);
  if (grace >= maxT) {
    throw new OptionError("--grace-period", `must be < max-t (${maxT}${maxTFromIterations ? ", from --max-iterations" : ""}), got ${JSON.stringify(raw)}`);
  }
  return grace;
}

function parseReductionFactor(raw: string): number {
  return parseNumberText("--reduction-factor", raw, { above: 1 });
}
