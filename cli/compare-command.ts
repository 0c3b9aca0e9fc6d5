import { benchmarkDefaults, benchmarkNames } from "../benchmarks/objectives/index.ts";
import { schedulerNames, searcherNames, type SchedulerName, type SearcherName } from "./algorithms.ts";
import { OptionError } from "../core/errors/index.ts";
import { parseInteger, parseName } from "./flags.ts";
import { fmt, formatTable, median as medianOfAll } from "../benchmarks/stats/index.ts";
import { budgetFromFlags, planFromFlags, runPlan } from "./sim-command.ts";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_BUDGET_GPU_HOURS } from "./help-names.ts";
import { writeComparisonReport, type MethodDirs } from "./compare-report/index.ts";

/** Median over the runs that have a value (NaN: no result). */
const median = (values: readonly number[]): number => medianOfAll(values.filter((v) => !Number.isNaN(v)));

export interface CompareFlags {
  benchmark: string;
  /** A cap on trials per run; alone (no budget flag), the old equal-trial-count comparison. */
  trials?: string;
  gpus: string;
  seeds: string;
  /** Left out: the benchmark's natural budget. */
  maxIterations?: string;
  budgetSeconds?: string;
  budgetGpuHours?: string;
  pairs: string;
  gridPoints?: string;
  /** Write each run's experiment directory here: DIR/<searcher>_<scheduler>/seed-<n>. */
  out?: string;
  /** Write an HTML report comparing the methods (true: report.html). */
  report?: string | boolean;
  /** No notes on stderr. */
  quiet?: boolean;
  json?: boolean;
}

export { DEFAULT_PAIRS } from "./help-names.ts";

/** `searcher:scheduler,...`, or `all` for every combination the CLI knows. */
export function parsePairs(raw: string, flag = "--pairs"): Array<[SearcherName, SchedulerName]> {
  if (raw === "all") return searcherNames.flatMap((a) => schedulerNames.map((b) => [a, b] as [SearcherName, SchedulerName]));
  return raw.split(",").map((pair) => {
    const [searcher, scheduler, extra] = pair.trim().split(":");
    if (searcher === undefined || scheduler === undefined || extra !== undefined) {
      throw new OptionError(flag, `needs searcher:scheduler items separated by commas, got "${pair}"`);
    }
    return [parseName(flag, searcher, searcherNames), parseName(flag, scheduler, schedulerNames)];
  });
}

export { DEFAULT_BUDGET_GPU_HOURS } from "./help-names.ts";

/**
 * `tunelab compare` (what `npm start` runs): searcher x scheduler pairs on one
 * benchmark, over a few seeds; medians side by side. By default every pair gets the
 * same compute (a GPU-hour budget, trials unlimited while it lasts): at equal trial
 * counts the early-stopping schedulers spend a fraction of FIFO's compute, and
 * ASHA with promotion has too few trials to promote any (40 trials at rf 4).
 */
export async function compareCommand(flags: CompareFlags): Promise<void> {
  const benchmark = parseName("--benchmark", flags.benchmark, benchmarkNames);
  const gpus = parseInteger("--gpus", flags.gpus, 1);
  const seeds = parseInteger("--seeds", flags.seeds, 1);
  const pairs = parsePairs(flags.pairs);
  const budgetFlags =
    flags.budgetSeconds === undefined && flags.budgetGpuHours === undefined && flags.trials === undefined
      ? { budgetGpuHours: String(DEFAULT_BUDGET_GPU_HOURS) }
      : { ...(flags.budgetSeconds !== undefined ? { budgetSeconds: flags.budgetSeconds } : {}), ...(flags.budgetGpuHours !== undefined ? { budgetGpuHours: flags.budgetGpuHours } : {}) };
  const budget = budgetFromFlags(budgetFlags);
  const trials = flags.trials === undefined ? undefined : parseInteger("--trials", flags.trials, 1);
  const maxIterations = flags.maxIterations === undefined ? benchmarkDefaults(benchmark).maxIterations : parseInteger("--max-iterations", flags.maxIterations, 1);
  if (flags.gridPoints !== undefined && !pairs.some(([searcher]) => searcher === "grid")) {
    throw new OptionError("--grid-points", "applies only to --searcher grid, and no pair in --pairs uses it");
  }
  // A report reads the runs' experiment directories: without --out, they go to a temporary folder.
  const out = flags.out ?? (flags.report !== undefined ? mkdtempSync(join(tmpdir(), "tunelab-compare-")) : undefined);
  const methodDirs: MethodDirs[] = [];
  const rows = [];
  for (const [searcher, scheduler] of pairs) {
    {
      const runs = [];
      const dirs: string[] = [];
      for (let seed = 0; seed < seeds; seed++) {
        const plan = planFromFlags({
          benchmark,
          searcher,
          scheduler,
          ...(flags.trials !== undefined ? { trials: flags.trials } : {}),
          ...budgetFlags,
          gpus: String(gpus),
          seed: String(seed),
          maxIterations: String(maxIterations),
          preemptionRate: "0",
          gpusPerTrial: "1",
          checkpointFrequency: "0",
          maxFailures: "0",
          ...(flags.gridPoints !== undefined && searcher === "grid" ? { gridPoints: flags.gridPoints } : {}),
        });
        const dir = out === undefined ? undefined : join(out, `${searcher}_${scheduler}`, `seed-${seed}`);
        if (dir !== undefined) {
          mkdirSync(dir, { recursive: true });
          dirs.push(dir);
        }
        runs.push(runPlan(plan, undefined, dir));
      }
      methodDirs.push({ method: `${searcher}:${scheduler}`, dirs });
      rows.push({
        searcher,
        scheduler,
        regret: median(runs.map((r) => r.regret ?? Number.NaN)),
        gpuHours: median(runs.map((r) => r.gpuSeconds / 3600)),
        hours: median(runs.map((r) => r.simulatedSeconds / 3600)),
        trials: median(runs.map((r) => r.trials)),
        deepest: median(runs.map((r) => r.deepestIteration)),
        results: median(runs.map((r) => r.results)),
      });
    }
  }
  if (flags.report !== undefined) {
    const file = await writeComparisonReport(methodDirs, typeof flags.report === "string" ? flags.report : "report.html", `TuneLab comparison on ${benchmark} (${seeds} seeds)`);
    if (flags.quiet !== true) process.stderr.write(`tunelab: wrote ${file}\n`);
  }
  if (flags.json) {
    process.stdout.write(JSON.stringify({ benchmark, trials: trials ?? null, budget: budget ?? null, maxIterations, gpus, seeds, rows }) + "\n");
    return;
  }
  const spend = [
    budget?.gpuHours !== undefined ? `${budget.gpuHours} GPU-hours` : "",
    budget?.seconds !== undefined ? `${budget.seconds} simulated seconds` : "",
  ].filter(Boolean).join(" or ");
  const what = budget ? `equal compute: ${spend} each (${trials === undefined ? "trials unlimited" : `at most ${trials} trials`})` : `${trials} trials each`;
  process.stdout.write(
    `${benchmark}: ${what}, up to ${maxIterations} iterations a trial, on ${gpus} simulated GPUs; median of ${seeds} seeds\n\n` +
      formatTable(
        ["searcher", "scheduler", "regret", "GPU-hours", "sim hours", "trials", "deepest iteration", "results"],
        rows.map((r) => [r.searcher, r.scheduler, fmt(r.regret), fmt(r.gpuHours), fmt(r.hours), fmt(r.trials), fmt(r.deepest), fmt(r.results)]),
      ),
  );
}
