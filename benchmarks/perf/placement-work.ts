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
 * off) are an estimate: calls of a few hundred ns. They come from a second run of each size without
 * the tree's counters (which slow every step), the same calls in the same order.
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
import { enterCounted, installTreeStepCounter, leaveCounted, resetTreeSteps, totalTreeSteps, treeSteps } from "./tree-step-counter.ts";

const { values } = parseArgs({ options: { small: { type: "string" }, big: { type: "string" } } });
const small = trialsGpusFlag("small", values.small, [10_000, 256]);
const big = trialsGpusFlag("big", values.big, [100_000, 10_000]);

/** What one run's placement did, beyond its trees' steps (tree-step-counter.ts). */
interface Work {
  calls: number;
  warmScanned: number;
  milliseconds: number;
}
const fresh = (): Work => ({ calls: 0, warmScanned: 0, milliseconds: 0 });
let work = fresh();
let depth = 0;

type Method = (this: unknown, ...args: unknown[]) => unknown;
installTreeStepCounter();

// Every public method of PlacementIndex: counted and timed, outermost calls only.
const index = PlacementIndex.prototype as unknown as Record<string, Method>;
for (const name of ["add", "update", "adjustFree", "canPlace", "place"]) {
  const original = index[name] as Method;
  index[name] = function (this: unknown, ...args: unknown[]): unknown {
    if (depth > 0) return original.apply(this, args);
    if (name === "place") work.warmScanned += (args[1] as readonly unknown[]).length;
    depth++;
    enterCounted();
    const t0 = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      work.milliseconds += performance.now() - t0;
      work.calls++;
      leaveCounted();
      depth--;
    }
  };
}

/** The wrapper's own cost per call: the same wrapping around a method that does nothing. */
function timerCostMs(): number {
  const probe = { nothing(): void {} };
  const original = probe.nothing;
  let ms = 0;
  probe.nothing = function (this: unknown): void {
    depth++;
    const t0 = performance.now();
    try {
      original.apply(this);
    } finally {
      ms += performance.now() - t0;
      depth--;
    }
  };
  const calls = 500_000;
  for (let i = 0; i < calls; i++) probe.nothing();
  return ms / calls;
}

function run(trials: number, gpus: number, count: boolean): { work: Work; results: number } {
  work = fresh();
  resetTreeSteps(count);
  return { work, results: simThroughput("fifo", { label: `${trials}_trials_${gpus}_gpus`, trials, gpus }).results };
}

const print = (name: string, value: number): void => console.log(`${name}=${Number.isInteger(value) ? value : value.toPrecision(4)}`);

// JIT warm-up at a small size.
run(2_000, 256, true);
const overheadMs = timerCostMs();
const figures: Array<Record<string, number>> = [];
for (const [trials, gpus] of [small, big]) {
  const label = `${trials}_trials_${gpus}_gpus`;
  const { work: w, results } = run(trials, gpus, true);
  const steps = { ...treeSteps };
  const operations = totalTreeSteps() + w.warmScanned;
  const { work: timed } = run(trials, gpus, false);
  const us = 1000 * Math.max(0, timed.milliseconds - timed.calls * overheadMs);
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
print("placement.timer_cost_ns_per_call", overheadMs * 1e6);
