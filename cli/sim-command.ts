import { benchmarkByName, benchmarkNames } from "../benchmarks/objectives/index.ts";
import { checkTrialCount } from "../core/experiment/index.ts";
import { checkSimulatedGpus, simulate, type SimulationSummary } from "../simulator/index.ts";
import { schedulerFactories, schedulerNames, searcherFactories, searcherNames, type AlgorithmContext } from "./algorithms.ts";
import { OptionError, parseNumberText } from "../core/errors/index.ts";
import { parseInteger, parseName, parseNumber, parsePositiveNumber } from "./flags.ts";
import { checkRungCount } from "../algorithms/schedulers/index.ts";
import { checkFlagsApply, combinationWarnings } from "./flag-rules.ts";
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
  gridPoints?: string;
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
  gridPoints?: number;
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

export function planFromFlags(flags: SimFlags): SimPlan {
  const gpusPerTrial = parseNumber("--gpus-per-trial", flags.gpusPerTrial, 0);
  if (gpusPerTrial > 1 && !Number.isInteger(gpusPerTrial)) {
    parseInteger("--gpus-per-trial", flags.gpusPerTrial, 1);
  }
  const searcher = parseName("--searcher", flags.searcher, searcherNames);
  const scheduler = parseName("--scheduler", flags.scheduler, schedulerNames);
  checkFlagsApply(givenAlgorithmFlags(flags), { searcher, scheduler });
  const maxIterations = parseInteger("--max-iterations", flags.maxIterations, 1);
  const maxT = flags.maxT !== undefined ? parsePositiveNumber("--max-t", flags.maxT) : undefined;
  const gracePeriod = flags.gracePeriod !== undefined ? parseGracePeriod(flags.gracePeriod, scheduler, maxT ?? maxIterations, maxT === undefined) : undefined;
  const reductionFactor = flags.reductionFactor !== undefined ? parseReductionFactor(flags.reductionFactor) : undefined;
  if (reductionFactor !== undefined) {
    // The schedulers refuse it too; checked here so the message names the flag.
    if (scheduler === "asha" || scheduler === "asha-promotion") checkRungCount("--reduction-factor", reductionFactor, (maxT ?? maxIterations) / (gracePeriod ?? 1), "rungs");
    else checkRungCount("--reduction-factor", reductionFactor, maxT ?? Math.min(81, maxIterations), "brackets");
  }
  return {
    benchmark: parseName("--benchmark", flags.benchmark, benchmarkNames),
    searcher,
    scheduler,
    trials: checkTrialCount("--trials", parseInteger("--trials", flags.trials, 1)),
    gpus: checkSimulatedGpus("--gpus", parseInteger("--gpus", flags.gpus, 1)),
    seed: parseInteger("--seed", flags.seed, 0),
    maxIterations,
    preemptionRate: parseNumber("--preemption-rate", flags.preemptionRate, 0),
    gpusPerTrial,
    checkpointFrequency: parseInteger("--checkpoint-frequency", flags.checkpointFrequency, 0),
    maxFailures: parseInteger("--max-failures", flags.maxFailures, -1),
    ...(flags.keepCheckpoints !== undefined ? { keepCheckpoints: parseInteger("--keep-checkpoints", flags.keepCheckpoints, 1) } : {}),
    ...(maxT !== undefined ? { maxT } : {}),
    ...(gracePeriod !== undefined ? { gracePeriod } : {}),
    ...(reductionFactor !== undefined ? { reductionFactor } : {}),
    ...(flags.perturbationInterval !== undefined ? { perturbationInterval: parsePositiveNumber("--perturbation-interval", flags.perturbationInterval) } : {}),
    ...(flags.gridPoints !== undefined ? { gridPoints: parseInteger("--grid-points", flags.gridPoints, 1) } : {}),
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
  for (const warning of combinationWarnings(plan)) process.stderr.write(`tunelab: warning: ${warning}\n`);
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
