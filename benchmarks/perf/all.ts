/**
 * Every perf benchmark, one after another (each in its own process, so one's
 * heap and JIT state do not colour the next), and one table of their
 * `name=value` figures at the end.
 *
 *   npm run bench:perf                 # scale.ts at its default size
 *   npm run bench:perf -- --large      # scale.ts also at 100,000 trials on 10,000 GPUs
 *
 * Flags after `--` go to scale.ts.
 */
import { spawnSync } from "node:child_process";

const benches: Array<{ name: string; args: string[]; node?: string[] }> = [
  { name: "sim-throughput", args: ["benchmarks/perf/sim-throughput.ts"] },
  { name: "checkpoint-retention", args: ["benchmarks/perf/checkpoint-retention.ts"] },
  // --expose-gc: the heap-per-result figure is exact only after a full collection.
  { name: "scale", args: ["benchmarks/perf/scale.ts", ...process.argv.slice(2)], node: ["--expose-gc"] },
];

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
