/**
 * Study 3 of issue 15: the autoscaler's max nodes against wall time and dollars
 * for a fixed experiment (ASHA on Hartmann6, 256 trials, 1-GPU trials), and the
 * Pareto front of (wall hours, dollars).
 *
 * Cluster: one autoscaled type of 8-GPU on-demand nodes at $24 per node-hour,
 * minCount 0, maxCount = the row's bound, Ray's defaults otherwise (launch delay
 * lognormal with median 120 s, idle timeout 300 s, upscaling speed 1). Nodes are
 * billed from the launch request. Medians over seeds with 95% bootstrap intervals.
 *
 *   npx tsx benchmarks/cloud/autoscaler-bounds.ts [--seeds 10] [--max-nodes 1,2,4,8,16,32] [--epoch-seconds 60,180]
 */
import { fmt, formatTable, median, medianInterval } from "../stats/index.ts";
import { runAshaHartmann6 } from "./asha-hartmann6.ts";
import { parseArgs } from "node:util";
import { numberFlag, numberListFlag } from "../script-flags.ts";

const { values: flags } = parseArgs({ options: { seeds: { type: "string" }, "max-nodes": { type: "string", default: "1,2,4,8,16,32" }, "epoch-seconds": { type: "string", default: "60,180" }, trials: { type: "string" } } });
const seeds = numberFlag("seeds", flags.seeds, 10, { integer: true, min: 1 });
const bounds = numberListFlag("max-nodes", flags["max-nodes"], { integer: true, min: 1 }) as number[];
const epochSeconds = numberListFlag("epoch-seconds", flags["epoch-seconds"], { above: 0 }) as [number, number];
const trials = numberFlag("trials", flags.trials, 256, { integer: true, min: 1 });

const rows = bounds.map((maxCount) => {
  const runs = Array.from({ length: seeds }, (_, seed) =>
    runAshaHartmann6({
      seed,
      trials,
      epochSeconds,
      checkpointFrequency: 0,
      cluster: { nodeTypes: [{ name: "gpu8", cpus: 32, gpus: 8, pricePerHour: 24, minCount: 0, maxCount }] },
    }),
  );
  return {
    maxCount,
    hours: median(runs.map((r) => r.hours)),
    dollars: median(runs.map((r) => r.summary.costDollars)),
    runs,
  };
});

/** On the front: no other bound is at least as good in both hours and dollars and better in one. */
const front = rows.map((a) => !rows.some((b) => b !== a && b.hours <= a.hours && b.dollars <= a.dollars && (b.hours < a.hours || b.dollars < a.dollars)));

const withInterval = (values: number[], digits: number) => {
  const [lo, hi] = medianInterval(values, { seed: 1 });
  return `${fmt(median(values), digits)} [${fmt(lo, digits)}, ${fmt(hi, digits)}]`;
};
console.log(`study=autoscaler-bounds trials=${trials} seeds=${seeds} epoch_seconds=${epochSeconds.join("-")} node=8 GPUs on demand at $24/h, launch delay lognormal median 120 s, idle timeout 300 s`);
console.log(
  formatTable(
    ["max nodes", "wall hours", "$", "regret", "nodes launched", "paid-GPU utilisation", "idle node-hours", "Pareto"],
    rows.map((row, i) => [
      String(row.maxCount),
      withInterval(row.runs.map((r) => r.hours), 3),
      withInterval(row.runs.map((r) => r.summary.costDollars), 4),
      withInterval(row.runs.map((r) => r.regret), 3),
      fmt(median(row.runs.map((r) => r.summary.nodesLaunched)), 3),
      fmt(median(row.runs.map((r) => r.summary.paidGpuUtilisation)), 3),
      fmt(median(row.runs.map((r) => r.summary.idleNodeHours)), 3),
      front[i] ? "yes" : "",
    ]),
  ),
);
for (const [i, row] of rows.entries()) console.log(`max_nodes_${row.maxCount}_hours=${fmt(row.hours, 4)} max_nodes_${row.maxCount}_dollars=${fmt(row.dollars, 4)} pareto=${front[i] ? 1 : 0}`);
