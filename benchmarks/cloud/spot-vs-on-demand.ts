/**
 * Study 1 of issue 15: spot against on-demand for one experiment (ASHA on
 * Hartmann6, 256 trials) across the AWS Spot Advisor's interruption buckets,
 * with and without a two-minute notice. Does "about 3x cheaper" survive the lost work?
 *
 * Cluster: 4 nodes of 8 GPUs; on-demand $24 per node-hour, spot $8 (a third);
 * a lost spot node is replaced after 120 s; checkpoints every 10 iterations.
 * Per row: medians over seeds with 95% bootstrap intervals; the cost ratio is
 * on-demand / spot per seed; p: Wilcoxon signed-rank of regret against on-demand, paired by seed
 * ("equal": every seed made the same decisions as on demand). The last rows add a
 * correlated storm, as the Poisson buckets alone rarely interrupt a run of hours.
 *
 *   npx tsx benchmarks/cloud/spot-vs-on-demand.ts [--seeds 20] [--epoch-seconds 60,180] [--storm 0.9@3600]
 */
import { fmt, formatTable, median, medianInterval, wilcoxonSignedRank } from "../stats/index.ts";
import { parseStorm, SPOT_ADVISOR_BUCKETS, type ClusterSpec } from "../../simulator/index.ts";
import { runAshaHartmann6, type StudyRun } from "./asha-hartmann6.ts";
import { parseArgs } from "node:util";
import { numberFlag, numberListFlag } from "../script-flags.ts";

const { values: flags } = parseArgs({ options: { seeds: { type: "string" }, "epoch-seconds": { type: "string", default: "60,180" }, storm: { type: "string", default: "0.9@3600" }, trials: { type: "string" } } });
const seeds = numberFlag("seeds", flags.seeds, 20, { integer: true, min: 1 });
const epochSeconds = numberListFlag("epoch-seconds", flags["epoch-seconds"], { above: 0 }) as [number, number];
const storm = parseStorm("--storm", flags.storm as string);
const trials = numberFlag("trials", flags.trials, 256, { integer: true, min: 1 });

const node = { name: "gpu8", cpus: 32, gpus: 8, count: 4, onDemandPricePerHour: 24 };
const onDemand: ClusterSpec = { nodeTypes: [{ ...node, pricePerHour: 24 }] };
const spot = (extra: ClusterSpec): ClusterSpec => ({ nodeTypes: [{ ...node, spot: true, pricePerHour: 8 }], replacementDelaySeconds: 120, ...extra });

const rows: Array<{ label: string; notice: string; cluster: ClusterSpec }> = [{ label: "on-demand", notice: "-", cluster: onDemand }];
for (const bucket of SPOT_ADVISOR_BUCKETS) {
  for (const provider of [undefined, "aws"] as const) {
    rows.push({
      label: `spot ${bucket.label} (p=${bucket.monthly})`,
      notice: provider ? "120 s" : "none",
      cluster: spot({ interruptionFrequency: bucket.monthly, ...(provider ? { provider } : {}) }),
    });
  }
}
for (const provider of [undefined, "aws"] as const) {
  rows.push({ label: `spot >20% + storm ${storm.fraction}@${storm.atSeconds}s`, notice: provider ? "120 s" : "none", cluster: spot({ interruptionFrequency: 0.25, storms: [storm], ...(provider ? { provider } : {}) }) });
}

const results = rows.map((row) => ({ row, runs: Array.from({ length: seeds }, (_, seed) => runAshaHartmann6({ seed, trials, cluster: row.cluster, epochSeconds, checkpointFrequency: 10 })) }));
const base = (results[0] as { runs: StudyRun[] }).runs;

const withInterval = (values: number[], digits: number) => {
  const [lo, hi] = medianInterval(values, { seed: 1 });
  return `${fmt(median(values), digits)} [${fmt(lo, digits)}, ${fmt(hi, digits)}]`;
};
const table = results.map(({ row, runs }) => {
  const regrets = runs.map((r) => r.regret);
  const test = wilcoxonSignedRank(regrets, base.map((r) => r.regret));
  // No pair differs: the same decisions as on demand.
  const p = row.label === "on-demand" ? "-" : test.n === 0 ? "equal" : `${fmt(test.p, 3)} (n=${test.n})`;
  return [
    row.label,
    row.notice,
    withInterval(runs.map((r) => r.summary.costDollars), 4),
    withInterval(runs.map((r, i) => (base[i] as StudyRun).summary.costDollars / r.summary.costDollars), 3),
    withInterval(runs.map((r) => r.hours), 3),
    withInterval(regrets, 3),
    fmt(median(runs.map((r) => r.dollarsPerRegretReduction)), 4),
    p,
    `${fmt(runs.reduce((sum, r) => sum + r.summary.preemptions, 0) / runs.length, 3)} (${runs.filter((r) => r.summary.nodesLost > 0).length}/${runs.length})`,
    fmt(median(runs.map((r) => r.summary.gpuSecondsLostToPreemption / 3600)), 3),
    fmt(median(runs.map((r) => r.summary.gpuSecondsSavedByNotice / 3600)), 3),
  ];
});
console.log(`study=spot-vs-on-demand trials=${trials} seeds=${seeds} epoch_seconds=${epochSeconds.join("-")} cluster=4x8 GPUs, on-demand $24/node-h, spot $8/node-h, checkpoint every 10 iterations`);
console.log(formatTable(["cluster", "notice", "$ (median [95% CI])", "on-demand $ / this $", "wall hours", "regret", "$ per unit of regret reduction", "p (regret vs on-demand)", "trials preempted: mean (runs with a loss)", "GPU-h lost", "GPU-h saved by notice"], table));
for (const { row, runs } of results) {
  const key = row.label.replace(/[^a-z0-9]+/gi, "_").toLowerCase() + (row.notice === "120 s" ? "_notice" : "");
  console.log(`${key}_cost_ratio_median=${fmt(median(runs.map((r, i) => (base[i] as StudyRun).summary.costDollars / r.summary.costDollars)), 4)}`);
}
