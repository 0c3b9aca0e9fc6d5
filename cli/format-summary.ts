import type { SimulationSummary } from "../simulator/index.ts";
import { fmt, formatTable } from "../benchmarks/stats/index.ts";

/** Human-readable `tunelab sim` output. */
export function formatSummary(s: SimulationSummary & { benchmark: string; searcher: string; scheduler: string; regret: number | null }): string {
  const states = Object.entries(s.trialStates)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  const rows: string[][] = [
    ["benchmark", s.benchmark],
    ["searcher / scheduler", `${s.searcher} / ${s.scheduler}`],
    [`best ${s.metric} (${s.mode})`, s.best ? `${fmt(s.best.metric, 6)}  (trial ${s.best.trialId}, iteration ${s.best.iteration})` : "-"],
    ["regret", fmt(s.regret, 4)],
    ["best config", s.best ? formatConfig(s.best.config) : "-"],
    ["trials", `${s.trials} (${states})`],
    ["results / events", `${s.results} / ${s.events}`],
    ["simulated time", `${fmt(s.simulatedSeconds / 3600, 4)} h`],
    ["GPU-hours used", fmt(s.gpuSeconds / 3600, 4)],
    ["GPU-hours lost to preemption", fmt(s.gpuSecondsLostToPreemption / 3600, 4)],
    ["preemptions / redone iterations", `${s.preemptions} / ${s.redoneIterations}`],
    ["cost (on demand: same node-hours)", `$${s.costDollars.toFixed(2)} ($${s.costOnDemandDollars.toFixed(2)})`],
    ["nodes launched / idle node-hours", `${s.nodesLaunched} / ${fmt(s.idleNodeHours, 4)}`],
    ["paid GPU-hours / utilisation", `${fmt(s.paidGpuHours, 4)} / ${(100 * s.paidGpuUtilisation).toFixed(1)}%`],
    ["GPU-hours saved by notices", fmt(s.gpuSecondsSavedByNotice / 3600, 4)],
    ["wall time", `${fmt(s.wallSeconds, 3)} s`],
  ];
  return formatTable(["", ""], rows, false).split("\n").slice(2).join("\n");
}

function formatConfig(config: Record<string, unknown>): string {
  return Object.entries(config)
    .map(([k, v]) => `${k}=${typeof v === "number" ? fmt(v, 4) : JSON.stringify(v)}`)
    .join(" ");
}
