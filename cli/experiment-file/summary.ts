import type { Mode, TrialView } from "../../core/contracts/index.ts";
import { countByStatus, type BestTrial } from "../../core/summary.ts";
import { fmt, formatTable } from "../../benchmarks/stats/index.ts";

/** What `tunelab run` prints: the `--json` object, or these rows as a table. */
export interface RunSummary {
  name: string;
  file: string;
  searcher: string;
  scheduler: string;
  metric: string;
  mode: Mode;
  best: BestTrial | null;
  trials: number;
  trialStates: Record<string, number>;
  results: number;
  wallSeconds: number;
}

export function runSummary(
  head: { name: string; file: string; searcher: string; scheduler: string; metric: string; mode: Mode },
  run: { best: BestTrial | undefined; trials: readonly TrialView[]; wallSeconds: number },
): RunSummary {
  return {
    ...head,
    best: run.best ?? null,
    trials: run.trials.length,
    trialStates: countByStatus(run.trials),
    results: run.trials.reduce((sum, trial) => sum + trial.history.length, 0),
    wallSeconds: run.wallSeconds,
  };
}

export function formatRunSummary(s: RunSummary): string {
  const states = Object.entries(s.trialStates)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${state} ${n}`)
    .join(", ");
  const config = s.best
    ? Object.entries(s.best.config)
        .map(([key, value]) => `${key}=${typeof value === "number" ? fmt(value, 4) : JSON.stringify(value)}`)
        .join(" ")
    : "-";
  const rows: string[][] = [
    ["experiment", `${s.name}  (${s.file})`],
    ["searcher / scheduler", `${s.searcher} / ${s.scheduler}`],
    [`best ${s.metric} (${s.mode})`, s.best ? `${fmt(s.best.metric, 6)}  (trial ${s.best.trialId}, iteration ${s.best.iteration})` : "-"],
    ["best config", config],
    ["trials", `${s.trials} (${states})`],
    ["results", String(s.results)],
    ["wall time", `${fmt(s.wallSeconds, 3)} s`],
  ];
  return formatTable(["", ""], rows, false).split("\n").slice(2).join("\n");
}
