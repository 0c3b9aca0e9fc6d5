/**
 * Median stopping on time_total_s (a continuous time attribute): the rule as it
 * is (tracked-time trees, the interval index otherwise) against the same rule
 * answering every question by the pass over every trial (what it did before the
 * index), and FIFO, in one process, turn about. Same simulation as scale.ts
 * (Hartmann6 curves, 27 iterations, random search, one GPU per trial).
 *
 *   npx tsx benchmarks/perf/median-stopping-time.ts [trials=2000] [gpus=trials/10] [rounds=2] [--no-pass]
 *
 * Prints name=value lines: results per CPU second of each (median over the
 * rounds), the ratios, and whether both rules made the same number of results
 * (same decisions). --no-pass: skip the pass (too slow at 100,000 trials).
 */
import { parseArgs } from "node:util";
import { OptionError } from "../../core/errors/index.ts";
import { numberFlag } from "../script-flags.ts";
import { median } from "../stats/index.ts";
import { simThroughput, type SimRate } from "./scale-sim.ts";

const { values: flags, positionals } = parseArgs({ options: { "no-pass": { type: "boolean" } }, allowPositionals: true });
if (positionals.length > 3) throw new OptionError("arguments", `at most [trials] [gpus] [rounds], got ${positionals.length} values`);
const withPass = flags["no-pass"] !== true;
const trials = numberFlag("trials", positionals[0], 2000, { integer: true, min: 1 });
const gpus = numberFlag("gpus", positionals[1], Math.max(1, Math.round(trials / 10)), { integer: true, min: 1 });
const rounds = numberFlag("rounds", positionals[2], 2, { integer: true, min: 1 });

const names = ["fifo", "median-stopping-time", ...(withPass ? ["median-stopping-time-pass"] : [])];
for (const name of names) simThroughput(name, { label: "warmup", trials: 300, gpus: 30 });
const rates = new Map<string, SimRate[]>(names.map((n) => [n, []]));
for (let r = 0; r < rounds; r++) {
  for (const name of names) (rates.get(name) as SimRate[]).push(simThroughput(name, { label: "timed", trials, gpus }));
}
const perCpu = (name: string): number => median((rates.get(name) as SimRate[]).map((x) => x.resultsPerCpuSecond));
const prefix = `median_stopping_time.trials${trials}.gpus${gpus}`;
// Counts exactly (4 significant digits made 29,027 results read 29,030, which looked like a
// simulation that depends on what ran before it in the process); rates to 4 digits.
const print = (key: string, value: number | string): void =>
  console.log(`${prefix}.${key}=${typeof value === "number" && !Number.isInteger(value) ? Number(value.toPrecision(4)) : value}`);
for (const name of names) {
  print(`${name}.results_per_cpu_s`, perCpu(name));
  print(`${name}.results`, (rates.get(name) as SimRate[])[0]?.results ?? 0);
  print(`${name}.cpu_s_median`, median((rates.get(name) as SimRate[]).map((x) => x.cpuSeconds)));
}
print("index_over_fifo", perCpu("median-stopping-time") / perCpu("fifo"));
if (withPass) {
  print("index_over_pass", perCpu("median-stopping-time") / perCpu("median-stopping-time-pass"));
  const same = (rates.get("median-stopping-time") as SimRate[]).every((x, k) => x.results === (rates.get("median-stopping-time-pass") as SimRate[])[k]?.results);
  print("same_result_count", same ? "yes" : "NO");
}
print("rounds", rounds);
