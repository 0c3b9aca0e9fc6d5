import { benchmarkByName, benchmarkNames } from "../benchmarks/objectives/index.ts";
import { simulate, type SimulationSummary } from "../simulator/index.ts";
import { schedulerFactories, schedulerNames, searcherFactories, searcherNames, type AlgorithmContext } from "./algorithms.ts";
import { parseNumberText } from "../core/errors/index.ts";
import { parseInteger, parseName, parseNumber, parsePositiveNumber } from "./flags.ts";
import { formatSummary } from "./format-summary.ts";
import { openTraceFile } from "./trace-file.ts";

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
    benchmark: parseName("--benchmark", flags.benchmark, benchmarkNames),
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
    ...(flags.maxT !== undefined ? { maxT: parsePositiveNumber("--max-t", flags.maxT) } : {}),
    ...(flags.gracePeriod !== undefined ? { gracePeriod: parseNumber("--grace-period", flags.gracePeriod, 0) } : {}),
    ...(flags.reductionFactor !== undefined ? { reductionFactor: parseReductionFactor(flags.reductionFactor) } : {}),
    ...(flags.perturbationInterval !== undefined ? { perturbationInterval: parsePositiveNumber("--perturbation-interval", flags.perturbationInterval) } : {}),
  };
}

/** Runs one planned simulation; `trace` receives JSONL lines when given. */
export function runPlan(plan: SimPlan, trace?: (line: string) => void): SimulationSummary & { benchmark: string; searcher: string; scheduler: string; regret: number | null } {
  const bench = benchmarkByName(plan.benchmark, { maxIterations: plan.maxIterations });
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

export function simCommand(flags: SimFlags): void {
  const plan = planFromFlags(flags);
  // Opened before the run: a bad path fails in a second, not after the whole run.
  const traceFile = flags.trace !== undefined ? openTraceFile("--trace", flags.trace) : undefined;
  let summary: ReturnType<typeof runPlan>;
  try {
    summary = runPlan(plan, traceFile ? (line) => traceFile.write(line) : undefined);
  } finally {
    traceFile?.close();
  }
  if (flags.json) process.stdout.write(JSON.stringify(summary) + "\n");
  else process.stdout.write(formatSummary(summary));
}

function parseReductionFactor(raw: string): number {
  return parseNumberText("--reduction-factor", raw, { above: 1 });
}
