/**
 * Issue 10, fault injection 6: the simulated storm. At simulated second 600,
 * 90% of the spot nodes are lost at once (`tunelab sim --storm 0.9@600`).
 * Reports, per notice and checkpoint setting, medians over seeds: trials that
 * finished, GPU-seconds lost, iterations re-done, GPU-seconds a notice saved.
 *
 * Experiment: random search + FIFO on Hartmann6 learning curves (100 iterations of
 * 1-3 s), 320 trials on 10 spot nodes of 8 GPUs (four waves, so the storm hits
 * mid-run); lost nodes come back after 120 s.
 *
 *   npx tsx benchmarks/cloud/storm.ts [--seeds 10]
 */
import { benchmarkByName } from "../objectives/index.ts";
import { fmt, formatTable, median } from "../stats/index.ts";
import { simulate, type ClusterSpec } from "../../simulator/index.ts";
import { parseArgs } from "node:util";
import { numberFlag } from "../script-flags.ts";

const { values: flags } = parseArgs({ options: { seeds: { type: "string" } } });
const seeds = numberFlag("seeds", flags.seeds, 10, { integer: true, min: 1 });
const bench = benchmarkByName("hartmann6", { maxIterations: 100 });

const settings: Array<{ notice: string; cluster: Partial<ClusterSpec>; checkpointFrequency: number }> = [];
for (const checkpointFrequency of [0, 10]) {
  for (const [notice, cluster] of [
    ["none", {}],
    ["gcp/azure 30 s", { provider: "gcp" }],
    ["aws 120 s", { provider: "aws" }],
  ] as const) {
    settings.push({ notice, cluster, checkpointFrequency });
  }
}

const rows = settings.map((s) => {
  const runs = Array.from({ length: seeds }, (_, seed) =>
    simulate({
      objective: bench.objective,
      space: bench.space,
      metric: bench.metric,
      mode: bench.mode,
      trials: 320,
      seed,
      checkpointFrequency: s.checkpointFrequency,
      checkInvariants: true,
      cluster: { gpus: 80, storms: [{ atSeconds: 600, fraction: 0.9 }], ...s.cluster },
    }).summary,
  );
  return { s, runs };
});

console.log(`study=storm storm=0.9@600 trials=320 gpus=80 (10 spot nodes) seeds=${seeds}`);
console.log(
  formatTable(
    ["notice", "checkpoint every", "trials finished (all seeds)", "nodes lost", "GPU-s lost", "iterations re-done", "GPU-s saved by notice", "hours"],
    rows.map(({ s, runs }) => [
      s.notice,
      s.checkpointFrequency === 0 ? "never" : `${s.checkpointFrequency} it`,
      `${runs.reduce((n, r) => n + r.trialStates.TERMINATED, 0)}/${320 * runs.length}`,
      fmt(median(runs.map((r) => r.nodesLost)), 3),
      fmt(median(runs.map((r) => r.gpuSecondsLostToPreemption)), 4),
      fmt(median(runs.map((r) => r.redoneIterations)), 4),
      fmt(median(runs.map((r) => r.gpuSecondsSavedByNotice)), 4),
      fmt(median(runs.map((r) => r.simulatedSeconds / 3600)), 4),
    ]),
  ),
);
for (const { s, runs } of rows) {
  const key = `notice_${s.notice.split(" ")[0]!.replace("/", "_")}_ckpt_${s.checkpointFrequency}`;
  console.log(`${key}_gpu_seconds_lost=${fmt(median(runs.map((r) => r.gpuSecondsLostToPreemption)), 5)} ${key}_redone_iterations=${median(runs.map((r) => r.redoneIterations))}`);
}
