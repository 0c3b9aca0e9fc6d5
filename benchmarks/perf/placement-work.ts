/**
 * Placement's own work per event on a small and a big cluster (issue 14, target 2: "placement is
 * O(log nodes) per event"), counted rather than only timed, so the figure holds on a loaded machine.
 *
 * FIFO runs the scale simulation (hartmann6, 27 iterations a trial, 1-GPU trials on 8-GPU nodes)
 * at 10,000 trials on 256 GPUs (32 nodes) and at 100,000 trials on 10,000 GPUs (1,250 nodes), the
 * sizes of scale.ts's `cpu_ratio_vs_256_gpus`. Every call into the simulator's `PlacementIndex` is
 * counted and timed (outermost calls), and inside those calls every step of its order-statistic
 * trees: key comparisons (`before`: the paths of insert, remove and rank), `split` and `merge`
 * steps (recursive, one call per level), `rankOf` calls (one per free-GPU level walked) and
 * `select` calls (one root-to-node path each); plus the warm nodes scanned by `place`.
 *
 * O(log nodes) per event means the operations per placement call grow from the small cluster to
 * the big one by at most about log(1,250) / log(32) = 2.06 (`log_nodes_growth_reference`); a scan
 * of the nodes would grow 39x. Per result as well, since a result is the simulator's commonest
 * event. The timed figures (wall µs, the timer's own cost measured on an empty method and taken
 * off, SchedulerWorkTimer) are an estimate: calls of a few hundred ns. They come from a second
 * run of each size with the tree's counters uninstalled (they slow every step), the same calls
 * in the same order.
 *
 *   npx tsx benchmarks/perf/placement-work.ts [--small 10000,256] [--big 100000,10000]
 *
 * Prints `placement.<label>.<figure>=value` lines and `placement.<figure>_growth=value` ratios.
 */
import { PlacementIndex } from "../../simulator/cluster.ts";
import { GPUS_PER_NODE } from "../../simulator/cluster-spec.ts";
import { parseArgs } from "node:util";
import { trialsGpusFlag } from "../script-flags.ts";
import { simThroughput } from "./scale-sim.ts";
import { SchedulerWorkTimer, wrapOutermost } from "./scheduler-work-timer.ts";
import { enterCounted, installTreeStepCounter, leaveCounted, resetTreeSteps, totalTreeSteps, treeSteps, uninstallTreeStepCounter, type TreeSteps } from "./tree-step-counter.ts";

const { values } = parseArgs({ options: { small: { type: "string" }, big: { type: "string" } } });
const small = trialsGpusFlag("small", values.small, [10_000, 256]);
const big = trialsGpusFlag("big", values.big, [100_000, 10_000]);

/** Placement's public methods: what the simulator calls. */
const PLACEMENT_METHODS = ["add", "update", "adjustFree", "canPlace", "place"];

/** A run with every outermost PlacementIndex call counted, its trees' steps and the warm nodes `place` scans with it. */
function countedRun(trials: number, gpus: number): { calls: number; warmScanned: number; results: number; steps: TreeSteps; treeSteps: number } {
  let calls = 0;
  let warmScanned = 0;
  installTreeStepCounter();
  resetTreeSteps(true);
  const restore = wrapOutermost(PlacementIndex.prototype, PLACEMENT_METHODS, (name, args, call) => {
    calls++;
    if (name === "place") warmScanned += (args[1] as readonly unknown[]).length;
    enterCounted();
    try {
      return call();
    } finally {
      leaveCounted();
    }
  });
  let results: number;
  try {
    results = simThroughput("fifo", { label: "counted", trials, gpus }).results;
  } finally {
    restore();
  }
  const counts = { calls, warmScanned, results, steps: { ...treeSteps }, treeSteps: totalTreeSteps() };
  resetTreeSteps(false);
  // The counters slow every tree step: the timed run goes without them.
  uninstallTreeStepCounter();
  return counts;
}

let timerCostMs = Number.NaN;

/** A run with every outermost PlacementIndex call timed and no counter: placement's own µs, the timer's cost taken off. */
function timedRun(trials: number, gpus: number): number {
  const timer = new SchedulerWorkTimer();
  timerCostMs = timer.overheadMs;
  const restore = timer.wrap(PlacementIndex.prototype, PLACEMENT_METHODS, true);
  try {
    simThroughput("fifo", { label: "timed", trials, gpus });
  } finally {
    restore();
  }
  return timer.seconds * 1e6;
}

const print = (name: string, value: number): void => console.log(`${name}=${Number.isInteger(value) ? value : value.toPrecision(4)}`);

// JIT warm-up at a small size.
countedRun(2_000, 256);
timedRun(2_000, 256);
const figures: Array<Record<string, number>> = [];
for (const [trials, gpus] of [small, big]) {
  const label = `${trials}_trials_${gpus}_gpus`;
  const w = countedRun(trials, gpus);
  const { results, steps } = w;
  const operations = w.treeSteps + w.warmScanned;
  const us = timedRun(trials, gpus);
  const f: Record<string, number> = {
    nodes: Math.ceil(gpus / GPUS_PER_NODE),
    results,
    calls: w.calls,
    calls_per_result: w.calls / results,
    comparisons_per_call: steps.comparisons / w.calls,
    split_merge_steps_per_call: steps.splitMergeLevels / w.calls,
    levels_per_call: steps.ranks / w.calls,
    selects_per_call: steps.selects / w.calls,
    warm_scanned_per_call: w.warmScanned / w.calls,
    operations_per_call: operations / w.calls,
    operations_per_result: operations / results,
    us_per_call: us / w.calls,
    us_per_result: us / results,
  };
  for (const [k, v] of Object.entries(f)) print(`placement.${label}.${k}`, v);
  figures.push(f);
}
const [s, b] = figures as [Record<string, number>, Record<string, number>];
for (const k of ["operations_per_call", "operations_per_result", "comparisons_per_call", "us_per_call", "us_per_result"]) {
  print(`placement.${k}_growth`, (b[k] as number) / (s[k] as number));
}
print("placement.log_nodes_growth_reference", Math.log(b.nodes as number) / Math.log(s.nodes as number));
print("placement.linear_nodes_growth_reference", (b.nodes as number) / (s.nodes as number));
print("placement.timer_cost_ns_per_call", timerCostMs * 1e6);
