import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeReport } from "./report-command.ts";
import { benchmarkByName, benchmarkDefaults, benchmarkNames, type Benchmark } from "../benchmarks/objectives/index.ts";
import type { ComputeBudget } from "../core/stoppers/index.ts";
import { simulate, type SimulationSummary } from "../simulator/index.ts";
import { schedulerFactories, schedulerNames, searcherFactories, searcherNames, type AlgorithmContext } from "./algorithms.ts";
import { OptionError, parseNumberText } from "../core/errors/index.ts";
import { parseInteger, parseName, parseNumber, parsePositiveNumber } from "./flags.ts";
import { formatSummary } from "./format-summary.ts";
import { isLoadedBenchmark } from "./is-loaded-benchmark.ts";

/** Raw `tunelab sim` flags as commander hands them over (strings, checked here). */
export interface SimFlags {
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
  trace?: string;
  out?: string;
  report?: string | boolean;
  progress?: boolean;
  json?: boolean;
  /** A mathjs loss over --space's parameters, instead of --benchmark. */
  formula?: string;
  space?: string;
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
  gpusPerTrial: number;
  checkpointFrequency: number;
  maxFailures: number;
  keepCheckpoints?: number;
  maxT?: number;
  gracePeriod?: number;
  reductionFactor?: number;
  perturbationInterval?: number;
}

export function planFromFlags(flags: SimFlags): SimPlan {
  const gpusPerTrial = parseNumber("--gpus-per-trial", flags.gpusPerTrial, 0);
  if (gpusPerTrial > 1 && !Number.isInteger(gpusPerTrial)) {
    parseInteger("--gpus-per-trial", flags.gpusPerTrial, 1);
  }
  const benchmark = flags.formula !== undefined ? "formula" : isLoadedBenchmark(flags) ? flags.benchmark : parseName("--benchmark", flags.benchmark, benchmarkNames);
  const scheduler = parseName("--scheduler", flags.scheduler, schedulerNames);
  // The benchmark's natural budget fills what the flags leave out (ASHA's grace period only: the median rule's is in seconds).
  // Formulas and LCBench take the learning-curve functions' budget (LCBench is capped at its 52 epochs on load).
  const natural = benchmarkDefaults(benchmarkNames.includes(benchmark) ? benchmark : "branin");
  const budget = budgetFromFlags(flags);
  const gracePeriod = flags.gracePeriod ?? (scheduler.startsWith("asha") ? String(natural.gracePeriod) : undefined);
  const searcher = parseName("--searcher", flags.searcher, searcherNames);
  if (searcher === "grid" && flags.trials === undefined && budget) throw new OptionError("--trials", "is needed with --searcher grid and a budget (the grid's size)");
  return {
    benchmark,
    searcher,
    scheduler,
    trials: flags.trials !== undefined ? parseInteger("--trials", flags.trials, 1) : budget ? Number.POSITIVE_INFINITY : 50,
    gpus: parseInteger("--gpus", flags.gpus, 1),
    seed: parseInteger("--seed", flags.seed, 0),
    maxIterations: flags.maxIterations !== undefined ? parseInteger("--max-iterations", flags.maxIterations, 1) : natural.maxIterations,
    ...(budget ? { budget } : {}),
    preemptionRate: parseNumber("--preemption-rate", flags.preemptionRate, 0),
    gpusPerTrial,
    checkpointFrequency: parseInteger("--checkpoint-frequency", flags.checkpointFrequency, 0),
    maxFailures: parseInteger("--max-failures", flags.maxFailures, -1),
    ...(flags.keepCheckpoints !== undefined ? { keepCheckpoints: parseInteger("--keep-checkpoints", flags.keepCheckpoints, 1) } : {}),
    ...(flags.maxT !== undefined ? { maxT: parsePositiveNumber("--max-t", flags.maxT) } : {}),
    ...(gracePeriod !== undefined ? { gracePeriod: parseNumber("--grace-period", gracePeriod, 0) } : {}),
    ...(flags.reductionFactor !== undefined ? { reductionFactor: parseReductionFactor(flags.reductionFactor) } : {}),
    perturbationInterval: flags.perturbationInterval !== undefined ? parsePositiveNumber("--perturbation-interval", flags.perturbationInterval) : natural.perturbationInterval,
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
): SimulationSummary & { benchmark: string; searcher: string; scheduler: string; regret: number | null; deepestIteration: number } {
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
    cluster: { gpus: plan.gpus, preemptionRate: plan.preemptionRate },
    resources: { cpu: 1, gpu: plan.gpusPerTrial },
    maxIterations: plan.maxIterations,
    ...(plan.budget ? { budget: plan.budget } : {}),
    checkpointFrequency: plan.checkpointFrequency,
    maxFailures: plan.maxFailures,
    ...(plan.keepCheckpoints !== undefined ? { keepCheckpoints: plan.keepCheckpoints } : {}),
    ...(trace ? { trace } : {}),
    ...(storagePath !== undefined ? { storagePath } : {}),
    ...(progress !== undefined ? { progress } : {}),
  });
  const best = run.summary.best;
  return {
    benchmark: plan.benchmark,
    searcher: plan.searcher,
    scheduler: plan.scheduler,
    ...run.summary,
    // Regret is how far from the optimum, whichever the direction.
    regret: best ? (bench.mode === "min" ? best.metric - bench.optimum : bench.optimum - best.metric) : null,
    // How far the furthest-trained trial got: what tells a scheduler that promotes from one that never does.
    deepestIteration: run.trials.reduce((deepest, t) => Math.max(deepest, t.lastResult?.iteration ?? 0), 0),
  };
}

export async function simCommand(flags: SimFlags): Promise<void> {
  let plan = planFromFlags(flags);
  // Loaded on use: onnxruntime and mathjs stay out of the start-up of runs that do not need them.
  const loaded = isLoadedBenchmark(flags) ? await (await import("./load-benchmark.ts")).loadBenchmark(flags, plan.maxIterations) : undefined;
  // LCBench has 52 epochs: the run (and ASHA/HyperBand's max_t) stops there.
  if (loaded?.maxIterations !== undefined) plan = { ...plan, maxIterations: loaded.maxIterations };
  const lines: string[] = [];
  // A report reads the experiment directory: without --out, the run writes one to a temporary folder.
  const out = flags.out ?? (flags.report !== undefined ? mkdtempSync(join(tmpdir(), "tunelab-sim-")) : undefined);
  let summary: ReturnType<typeof runPlan>;
  try {
    summary = runPlan(plan, flags.trace ? (line) => lines.push(line) : undefined, out, flags.progress ?? "auto", loaded?.benchmark);
  } finally {
    await loaded?.close();
  }
  if (flags.trace) writeFileSync(flags.trace, lines.join(""));
  if (flags.json) process.stdout.write(JSON.stringify(summary) + "\n");
  else process.stdout.write(formatSummary(summary));
  if (flags.report !== undefined && out !== undefined) {
    const file = await writeReport([out], "html", typeof flags.report === "string" ? flags.report : "report.html");
    process.stderr.write(`tunelab: wrote ${file}\n`);
  }
}

function parseReductionFactor(raw: string): number {
  return parseNumberText("--reduction-factor", raw, { above: 1 });
}
