import { writeFileSync } from "node:fs";
import { benchmarkByName, benchmarkNames, type Benchmark } from "../benchmarks/objectives/index.ts";
import { simulate, type SimulationSummary } from "../simulator/index.ts";
import { schedulerFactories, schedulerNames, searcherFactories, searcherNames, type AlgorithmContext } from "./algorithms.ts";
import { parseInteger, parseName, parseNumber } from "./flags.ts";
import { FlagError } from "./flags.ts";
import { formatSummary } from "./format-summary.ts";
import { isLoadedBenchmark } from "./is-loaded-benchmark.ts";

/** Raw `tunelab sim` flags as commander hands them over (strings, checked here). */
export interface SimFlags {
  benchmark: string;
  searcher: string;
  scheduler: string;
  trials: string;
  gpus: string;
  seed: string;
  maxIterations: string;
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
  json?: boolean;
  /** A mathjs loss over --space's parameters, instead of --benchmark. */
  formula?: string;
  space?: string;
}

export interface SimPlan {
  benchmark: string;
  searcher: keyof typeof searcherFactories;
  scheduler: keyof typeof schedulerFactories;
  trials: number;
  gpus: number;
  seed: number;
  maxIterations: number;
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
  return {
    benchmark: flags.formula !== undefined ? "formula" : isLoadedBenchmark(flags) ? flags.benchmark : parseName("--benchmark", flags.benchmark, benchmarkNames),
    searcher: parseName("--searcher", flags.searcher, searcherNames),
    scheduler: parseName("--scheduler", flags.scheduler, schedulerNames),
    trials: parseInteger("--trials", flags.trials, 1),
    gpus: parseInteger("--gpus", flags.gpus, 1),
    seed: parseInteger("--seed", flags.seed, 0),
    maxIterations: parseInteger("--max-iterations", flags.maxIterations, 1),
    preemptionRate: parseNumber("--preemption-rate", flags.preemptionRate, 0),
    gpusPerTrial,
    checkpointFrequency: parseInteger("--checkpoint-frequency", flags.checkpointFrequency, 0),
    maxFailures: parseInteger("--max-failures", flags.maxFailures, -1),
    ...(flags.keepCheckpoints !== undefined ? { keepCheckpoints: parseInteger("--keep-checkpoints", flags.keepCheckpoints, 1) } : {}),
    ...(flags.maxT !== undefined ? { maxT: parsePositive("--max-t", flags.maxT) } : {}),
    ...(flags.gracePeriod !== undefined ? { gracePeriod: parseNumber("--grace-period", flags.gracePeriod, 0) } : {}),
    ...(flags.reductionFactor !== undefined ? { reductionFactor: parseReductionFactor(flags.reductionFactor) } : {}),
    ...(flags.perturbationInterval !== undefined ? { perturbationInterval: parsePositive("--perturbation-interval", flags.perturbationInterval) } : {}),
  };
}

/** Runs one planned simulation; `trace` receives JSONL lines when given. */
export function runPlan(
  plan: SimPlan,
  trace?: (line: string) => void,
  bench: Benchmark = benchmarkByName(plan.benchmark, { maxIterations: plan.maxIterations }),
): SimulationSummary & { benchmark: string; searcher: string; scheduler: string; regret: number | null } {
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
    checkpointFrequency: plan.checkpointFrequency,
    maxFailures: plan.maxFailures,
    ...(plan.keepCheckpoints !== undefined ? { keepCheckpoints: plan.keepCheckpoints } : {}),
    ...(trace ? { trace } : {}),
  });
  const best = run.summary.best;
  return {
    benchmark: plan.benchmark,
    searcher: plan.searcher,
    scheduler: plan.scheduler,
    ...run.summary,
    // Regret is how far from the optimum, whichever the direction.
    regret: best ? (bench.mode === "min" ? best.metric - bench.optimum : bench.optimum - best.metric) : null,
  };
}

export async function simCommand(flags: SimFlags): Promise<void> {
  let plan = planFromFlags(flags);
  // Loaded on use: onnxruntime and mathjs stay out of the start-up of runs that do not need them.
  const loaded = isLoadedBenchmark(flags) ? await (await import("./load-benchmark.ts")).loadBenchmark(flags, plan.maxIterations) : undefined;
  // LCBench has 52 epochs: the run (and ASHA/HyperBand's max_t) stops there.
  if (loaded?.maxIterations !== undefined) plan = { ...plan, maxIterations: loaded.maxIterations };
  const lines: string[] = [];
  let summary: ReturnType<typeof runPlan>;
  try {
    summary = runPlan(plan, flags.trace ? (line) => lines.push(line) : undefined, loaded?.benchmark);
  } finally {
    await loaded?.close();
  }
  if (flags.trace) writeFileSync(flags.trace, lines.join(""));
  if (flags.json) process.stdout.write(JSON.stringify(summary) + "\n");
  else process.stdout.write(formatSummary(summary));
}

function parsePositive(flag: string, raw: string): number {
  const value = parseNumber(flag, raw, 0);
  if (value === 0) throw new FlagError(flag, `must be a number > 0, got "${raw}"`);
  return value;
}

function parseReductionFactor(raw: string): number {
  const value = parseNumber("--reduction-factor", raw, 0);
  if (!(value > 1)) throw new FlagError("--reduction-factor", `must be a number > 1, got "${raw}"`);
  return value;
}
