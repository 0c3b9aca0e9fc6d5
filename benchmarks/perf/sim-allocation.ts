/**
 * Bytes allocated and garbage-collection time per result of FIFO on a small and a big
 * cluster (issue 14, the placement target's second measurable part: "the result path
 * allocates the same per result at 256 and 10,000 GPUs"), from V8's own GC log
 * (`v8.GCProfiler`, Node >= 18.15), so the allocation figure holds on a loaded machine.
 *
 * Allocated bytes: the heap's used size grows only by allocation between two collections,
 * so the sum over collections of (used before this one - used after the previous one), plus
 * the growth after the last, is what the run allocated (objects that died young included).
 * GC time: V8's `cost` of each collection (µs), split into scavenges (the young generation,
 * which copies what survives: per-trial objects alive across many scavenges, as with
 * thousands of trials in flight) and the rest (mark-compact of the old generation).
 *
 * If the bytes per result are the same at both sizes and the GC µs per result are not, the
 * big cluster's extra cost is the collector's work on live per-trial objects, not
 * allocation on the result path.
 *
 *   npx tsx benchmarks/perf/sim-allocation.ts [--small 10000,256] [--big 100000,10000]
 */
import { parseArgs } from "node:util";
import { GCProfiler } from "node:v8";
import { trialsGpusFlag } from "../script-flags.ts";
import { simThroughput } from "./scale-sim.ts";

const { values } = parseArgs({ options: { small: { type: "string" }, big: { type: "string" } } });
const sizes = [trialsGpusFlag("small", values.small, [10_000, 256]), trialsGpusFlag("big", values.big, [100_000, 10_000])];

interface GcEntry {
  gcType: string;
  cost: number;
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

const print = (name: string, value: number): void => console.log(`${name}=${Number.isInteger(value) ? value : value.toPrecision(4)}`);

// JIT warm-up.
simThroughput("fifo", { label: "warmup", trials: 2_000, gpus: 256 });

const figures: Array<Record<string, number>> = [];
for (const [trials, gpus] of sizes) {
  const label = `${trials}_trials_${gpus}_gpus`;
  const profiler = new GCProfiler();
  const usedBefore = process.memoryUsage().heapUsed;
  profiler.start();
  const run = simThroughput("fifo", { label, trials, gpus });
  const usedAfter = process.memoryUsage().heapUsed;
  const log = (profiler.stop()?.statistics ?? []) as GcEntry[];
  let allocated = 0;
  let previous = usedBefore;
  let scavengeUs = 0;
  let otherUs = 0;
  let scavenges = 0;
  for (const gc of log) {
    allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - previous);
    previous = gc.afterGC.heapStatistics.usedHeapSize;
    if (gc.gcType === "Scavenge") {
      scavengeUs += gc.cost;
      scavenges++;
    } else otherUs += gc.cost;
  }
  allocated += Math.max(0, usedAfter - previous);
  const f: Record<string, number> = {
    results: run.results,
    cpu_us_per_result: (1e6 * run.cpuSeconds) / run.results,
    bytes_allocated_per_result: allocated / run.results,
    scavenges_per_1000_results: (1000 * scavenges) / run.results,
    scavenge_us_per_result: scavengeUs / run.results,
    other_gc_us_per_result: otherUs / run.results,
    gc_share_of_cpu: (scavengeUs + otherUs) / (1e6 * run.cpuSeconds),
  };
  for (const [k, v] of Object.entries(f)) print(`sim_allocation.fifo.${label}.${k}`, v);
  figures.push(f);
}
const [s, b] = figures as [Record<string, number>, Record<string, number>];
for (const k of ["cpu_us_per_result", "bytes_allocated_per_result", "scavenge_us_per_result", "other_gc_us_per_result"]) {
  print(`sim_allocation.fifo.${k}_growth`, (b[k] as number) / (s[k] as number));
}
print("sim_allocation.fifo.extra_cpu_us_per_result", (b.cpu_us_per_result as number) - (s.cpu_us_per_result as number));
print(
  "sim_allocation.fifo.extra_gc_us_per_result",
  (b.scavenge_us_per_result as number) + (b.other_gc_us_per_result as number) - (s.scavenge_us_per_result as number) - (s.other_gc_us_per_result as number),
);
