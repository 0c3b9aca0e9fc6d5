/**
 * Every perf benchmark, one after another (each in its own process, so one's
 * heap and JIT state do not colour the next), and one table of their
 * `name=value` figures at the end. A benchmark that fails (redis-throughput
 * without Debian's redis-server, lcbench-surrogate without its model in
 * ../shared/data) gets an `exit_status` row and the rest still run.
 *
 *   npm run bench:perf                              # every benchmark; scale.ts at its default size
 *   npm run bench:perf -- --large                   # scale.ts also at 100,000 trials on 10,000 GPUs
 *   npm run bench:perf -- --benches scale,sim-throughput --only sim   # some of them
 *
 * Flags after `--` other than `--benches` go to scale.ts.
 */
import { spawnSync } from "node:child_process";

const argv = process.argv.slice(2);
const at = argv.indexOf("--benches");
const picked = at >= 0 ? new Set((argv[at + 1] ?? "").split(",")) : undefined;
const scaleArgs = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;

const all: Array<{ name: string; args: string[]; node?: string[] }> = [
  { name: "sim-throughput", args: ["benchmarks/perf/sim-throughput.ts"] },
  { name: "checkpoint-retention", args: ["benchmarks/perf/checkpoint-retention.ts"] },
  { name: "callback-overhead", args: ["benchmarks/perf/callback-overhead.ts"] },
  { name: "cloud-overhead", args: ["benchmarks/perf/cloud-overhead.ts"] },
  { name: "check-scheduler-default", args: ["benchmarks/perf/check-scheduler-default.ts"] },
  { name: "resume-time", args: ["benchmarks/perf/resume-time.ts"] },
  { name: "real-overhead", args: ["benchmarks/perf/real-overhead.ts"] },
  { name: "redis-throughput", args: ["benchmarks/perf/redis-throughput.ts"] },
  { name: "lcbench-surrogate", args: ["benchmarks/perf/lcbench-surrogate.ts"] },
  // Median stopping on time_total_s: the interval index against the pass, same process (about 15 s at 2,000 trials).
  { name: "median-stopping-time", args: ["benchmarks/perf/median-stopping-time.ts", "2000", "200", "1"] },
  // Issue 14's narrower figures: placement's counted work per call on 32 and 1,250 nodes (about 60 s),
  // the memory floor under the placement ratio, the event heap, PB2's training-data index, GP-BO's
  // refit rules, and TPE after its own suggestions (clustered bad group) in both modes.
  { name: "placement-work", args: ["benchmarks/perf/placement-work.ts"] },
  // The schedulers' order-statistic tree steps per result at 10k and 100k trials, counted (about 4 min).
  { name: "scheduler-tree-work", args: ["benchmarks/perf/scheduler-tree-work.ts"] },
  { name: "trial-touch-floor", args: ["benchmarks/perf/trial-touch-floor.ts"] },
  // Bytes allocated and GC time per result, FIFO at 256 and 10,000 GPUs, from V8's GC log (about 30 s).
  { name: "sim-allocation", args: ["benchmarks/perf/sim-allocation.ts"] },
  { name: "event-heap", args: ["benchmarks/perf/event-heap.ts"] },
  { name: "pb2-data-index", args: ["benchmarks/perf/pb2-data-index.ts"] },
  { name: "gp-refit-cost", args: ["benchmarks/perf/gp-refit-cost.ts"] },
  // TPE over 8 fresh processes: the median of runs decides the 1 and 2 ms targets (one run does not, about 25 s).
  { name: "tpe-runs", args: ["benchmarks/perf/tpe-runs.ts"] },
  // FIFO's and ASHA's 100k-trial ratios over 7 fresh runs of scale.ts: one run does not decide a 0.70 target (about 3.5 min).
  { name: "sim-ratio-runs", args: ["benchmarks/perf/sim-ratio-runs.ts"] },
  { name: "tpe-after-model-univariate", args: ["benchmarks/perf/tpe-after-model-suggestions.ts", "--mode", "univariate", "--n", "1000", "--repeats", "100"] },
  { name: "tpe-after-model-multivariate", args: ["benchmarks/perf/tpe-after-model-suggestions.ts", "--mode", "multivariate", "--n", "1000", "--repeats", "100"] },
  // --expose-gc: the heap-per-result figure is exact only after a full collection.
  { name: "scale", args: ["benchmarks/perf/scale.ts", ...scaleArgs], node: ["--expose-gc"] },
];
const unknown = picked ? [...picked].filter((n) => !all.some((b) => b.name === n)) : [];
if (unknown.length > 0) {
  console.error(`--benches: unknown benchmark ${unknown.join(", ")}; known: ${all.map((b) => b.name).join(", ")}`);
  process.exit(2);
}
const benches = picked ? all.filter((b) => picked.has(b.name)) : all;

const PAIR = /^([\w.\-]+)=(\S+)$/;
const rows: Array<[string, string, string]> = [];
for (const bench of benches) {
  console.log(`# ${bench.name}`);
  const run = spawnSync(process.execPath, [...(bench.node ?? []), "--import", "tsx", ...bench.args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  process.stdout.write(run.stdout);
  if (run.status !== 0) rows.push([bench.name, "exit_status", String(run.status)]);
  for (const line of run.stdout.split("\n")) {
    const tokens = line.trim().split(/\s+/);
    if (tokens.length === 0 || !tokens.every((t) => PAIR.test(t))) continue;
    for (const token of tokens) {
      const [, name, value] = PAIR.exec(token) as RegExpExecArray;
      rows.push([bench.name, name as string, value as string]);
    }
  }
}

const width = (k: 0 | 1 | 2) => Math.max(...rows.map((r) => r[k].length), 9);
console.log(`\n${"benchmark".padEnd(width(0))}  ${"figure".padEnd(width(1))}  value`);
for (const [bench, name, value] of rows) console.log(`${bench.padEnd(width(0))}  ${name.padEnd(width(1))}  ${value}`);
