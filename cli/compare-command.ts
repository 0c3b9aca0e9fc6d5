import { benchmarkNames } from "../benchmarks/objectives/index.ts";
import { schedulerNames, searcherNames, type SchedulerName, type SearcherName } from "./algorithms.ts";
import { OptionError } from "../core/errors/index.ts";
import { parseInteger, parseName } from "./flags.ts";
import { fmt, formatTable } from "./format-table.ts";
import { runPlan } from "./sim-command.ts";

export interface CompareFlags {
  benchmark: string;
  trials: string;
  gpus: string;
  seeds: string;
  maxIterations: string;
  pairs: string;
  gridPoints?: string;
  json?: boolean;
}

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

/** `searcher:scheduler,...`, or `all` for every combination the CLI knows. */
export function parsePairs(raw: string): Array<[SearcherName, SchedulerName]> {
  if (raw === "all") return searcherNames.flatMap((a) => schedulerNames.map((b) => [a, b] as [SearcherName, SchedulerName]));
  return raw.split(",").map((pair) => {
    const [searcher, scheduler, extra] = pair.trim().split(":");
    if (searcher === undefined || scheduler === undefined || extra !== undefined) {
      throw new OptionError("--pairs", `needs searcher:scheduler items separated by commas, got "${pair}"`);
    }
    return [parseName("--pairs", searcher, searcherNames), parseName("--pairs", scheduler, schedulerNames)];
  });
}

/**
 * `tunelab compare` (what `npm start` runs): searcher x scheduler pairs on one
 * benchmark, over a few seeds; medians side by side.
 */
export function compareCommand(flags: CompareFlags): void {
  const benchmark = parseName("--benchmark", flags.benchmark, benchmarkNames);
  const trials = parseInteger("--trials", flags.trials, 1);
  const gpus = parseInteger("--gpus", flags.gpus, 1);
  const seeds = parseInteger("--seeds", flags.seeds, 1);
  const maxIterations = parseInteger("--max-iterations", flags.maxIterations, 1);
  const pairs = parsePairs(flags.pairs);
  const gridPoints = flags.gridPoints !== undefined ? parseInteger("--grid-points", flags.gridPoints, 1) : undefined;
  if (gridPoints !== undefined && !pairs.some(([searcher]) => searcher === "grid")) {
    throw new OptionError("--grid-points", "applies only to --searcher grid, and no pair in --pairs uses it");
  }
  const rows = [];
  for (const [searcher, scheduler] of pairs) {
    {
      const runs = [];
      for (let seed = 0; seed < seeds; seed++) {
        runs.push(
          runPlan({
            benchmark,
            searcher,
            scheduler,
            trials,
            gpus,
            seed,
            maxIterations,
            preemptionRate: 0,
            gpusPerTrial: 1,
            checkpointFrequency: 0,
            maxFailures: 0,
            ...(gridPoints !== undefined && searcher === "grid" ? { gridPoints } : {}),
          }),
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
