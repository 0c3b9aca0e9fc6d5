import { benchmarkNames } from "../benchmarks/objectives/index.ts";
import { schedulerNames, searcherNames } from "./algorithms.ts";
import { parseInteger, parseName } from "./flags.ts";
import { fmt, formatTable } from "./format-table.ts";
import { runPlan } from "./sim-command.ts";

export interface CompareFlags {
  benchmark: string;
  trials: string;
  gpus: string;
  seeds: string;
  maxIterations: string;
  json?: boolean;
}

/**
 * `tunelab compare` (what `npm start` runs): every searcher x scheduler the CLI
 * knows, on one benchmark, over a few seeds; medians side by side.
 */
export function compareCommand(flags: CompareFlags): void {
  const benchmark = parseName("--benchmark", flags.benchmark, benchmarkNames);
  const trials = parseInteger("--trials", flags.trials, 1);
  const gpus = parseInteger("--gpus", flags.gpus, 1);
  const seeds = parseInteger("--seeds", flags.seeds, 1);
  const maxIterations = parseInteger("--max-iterations", flags.maxIterations, 1);
  const rows = [];
  for (const searcher of searcherNames) {
    for (const scheduler of schedulerNames) {
      const runs = [];
      for (let seed = 0; seed < seeds; seed++) {
        runs.push(
          runPlan({ benchmark, searcher, scheduler, trials, gpus, seed, maxIterations, preemptionRate: 0, gpusPerTrial: 1, checkpointFrequency: 0, maxFailures: 0 }),
        );
      }
      rows.push({
        searcher,
        scheduler,
        regret: median(runs.map((r) => r.regret ?? Number.NaN)),
        gpuHours: median(runs.map((r) => r.gpuSeconds / 3600)),
        hours: median(runs.map((r) => r.simulatedSeconds / 3600)),
        results: median(runs.map((r) => r.results)),
      });
    }
  }
  if (flags.json) {
    process.stdout.write(JSON.stringify({ benchmark, trials, gpus, seeds, rows }) + "\n");
    return;
  }
  process.stdout.write(
    `${benchmark}: ${trials} trials x up to ${maxIterations} iterations on ${gpus} simulated GPUs, median of ${seeds} seeds\n\n` +
      formatTable(
        ["searcher", "scheduler", "regret", "GPU-hours", "sim hours", "results"],
        rows.map((r) => [r.searcher, r.scheduler, fmt(r.regret), fmt(r.gpuHours), fmt(r.hours), fmt(r.results)]),
      ),
  );
}

function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
