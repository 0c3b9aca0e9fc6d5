/**
 * What tpe-runs.ts and sim-ratio-runs.ts share: scale.ts run in fresh processes, one
 * after another (one process's figure does not decide a target on this machine), and the
 * spread of each figure over the runs.
 */
import { spawnSync } from "node:child_process";
import { median } from "../stats/quantile.ts";

/**
 * Runs `scale.ts <args>` `runs` times and collects, per key, the values `pick` finds in
 * the stdout lines (trimmed) of every run, in run order.
 */
export function scaleRuns(args: readonly string[], runs: number, pick: (line: string) => [key: string, value: number] | undefined): Map<string, number[]> {
  const samples = new Map<string, number[]>();
  for (let r = 0; r < runs; r++) {
    const run = spawnSync(process.execPath, ["--import", "tsx", "benchmarks/perf/scale.ts", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (run.status !== 0) throw new Error(`scale.ts ${args.join(" ")} exited with ${run.status}`);
    for (const line of run.stdout.split("\n")) {
      const picked = pick(line.trim());
      if (picked === undefined) continue;
      const [key, value] = picked;
      const list = samples.get(key) ?? [];
      list.push(value);
      samples.set(key, list);
    }
  }
  return samples;
}

/** Prints `<prefix>.<key>_median`, `_min` and `_max` of the runs' values. */
export function printSpread(prefix: string, key: string, xs: readonly number[]): void {
  console.log(`${prefix}.${key}_median=${median(xs).toFixed(3)}`);
  console.log(`${prefix}.${key}_min=${Math.min(...xs).toFixed(3)}`);
  console.log(`${prefix}.${key}_max=${Math.max(...xs).toFixed(3)}`);
}
