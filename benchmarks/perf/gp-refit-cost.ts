/**
 * CPU ms per GP-BO suggestion on Hartmann6 with N finished trials: the default options
 * against `GP_BO_REFERENCE_OPTIONS` (a warm hyperparameter fit on every suggestion), in one
 * process, suggestion by suggestion in turn (issue 14; docs/architecture/gp-refit.md).
 * Both the median (the figure of benchmarks/perf/scale.ts) and the mean: with
 * `fitSkipPeriod` suggestions alternate between cheap and dear ones, and the mean, full
 * refits included, is what a run pays. Prints `name=value` lines.
 *
 *   npx tsx benchmarks/perf/gp-refit-cost.ts                  # N = 100, 30 timed suggestions each
 *   npx tsx benchmarks/perf/gp-refit-cost.ts --n 300 --repeats 20
 */
import { parseArgs } from "node:util";
import { GP_BO_REFERENCE_OPTIONS, GPSearcher, type GPSearcherOptions } from "../../algorithms/searchers/index.ts";
import type { Config, Searcher } from "../../core/contracts/index.ts";
import { uniform, type Space } from "../../core/space/index.ts";
import { hartmann6 } from "../objectives/index.ts";
import { median } from "../stats/index.ts";
import { numberFlag } from "../script-flags.ts";

const { values: args } = parseArgs({ options: { n: { type: "string" }, repeats: { type: "string" } } });
const n = numberFlag("n", args.n, 100, { integer: true, min: 2 });
const repeats = numberFlag("repeats", args.repeats, 30, { integer: true, min: 1 });
const print = (name: string, value: number): void => console.log(`${name}=${value.toPrecision(4)}`);

const space: Space = Object.fromEntries(hartmann6.bounds.map(([low, high], i) => [`x${i}`, uniform(low, high)]));
const point = new Float64Array(6);
const tell = (searcher: Searcher, id: string, config: Config): void => {
  for (let i = 0; i < 6; i++) point[i] = config[`x${i}`] as number;
  searcher.onTrialComplete(id, { trialId: id, iteration: 1, metrics: { y: hartmann6.evaluate(point) }, time: 0, timeTotal: 1 });
};

/** A model-phase searcher restored from `n` random finished trials (seed 0), as scale-searchers.ts builds it. */
function withHistory(options: Partial<GPSearcherOptions>): Searcher {
  const base = { metric: "y", mode: "min" as const, seed: 0, ...options };
  const builder = new GPSearcher(space, { ...base, nStartupTrials: n + 1 });
  for (let t = 0; t < n; t++) tell(builder, `h${t}`, builder.suggest(`h${t}`) as Config);
  const searcher = new GPSearcher(space, base);
  searcher.restore(builder.save());
  return searcher;
}

const variants: Array<[string, Partial<GPSearcherOptions>]> = [["default", {}], ["reference", GP_BO_REFERENCE_OPTIONS]];
const searchers = variants.map(([, options]) => withHistory(options));
const cpu = variants.map((): number[] => []);
// One untimed suggestion each: the first after a restore is a full refit, and JIT warm-up.
for (let r = -1; r < repeats; r++) {
  searchers.forEach((searcher, k) => {
    const id = `t${r}`;
    const started = process.cpuUsage();
    const config = searcher.suggest(id) as Config;
    const used = process.cpuUsage(started);
    if (r >= 0) (cpu[k] as number[]).push((used.user + used.system) / 1000);
    tell(searcher, id, config);
  });
}
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
variants.forEach(([name], k) => {
  print(`gp_refit.n${n}.${name}.cpu_ms_median`, median(cpu[k] as number[]));
  print(`gp_refit.n${n}.${name}.cpu_ms_mean`, mean(cpu[k] as number[]));
});
print(`gp_refit.n${n}.median_speedup`, median(cpu[1] as number[]) / median(cpu[0] as number[]));
print(`gp_refit.n${n}.mean_speedup`, mean(cpu[1] as number[]) / mean(cpu[0] as number[]));
