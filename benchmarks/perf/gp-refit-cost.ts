/**
 * CPU ms per GP-BO suggestion on Hartmann6 with N finished trials, what a run pays: the
 * default options against round 5's default (`GP_BO_FIT_SKIP_OPTIONS`) and the rule before
 * issue 14's speed work (`GP_BO_REFERENCE_OPTIONS`), in one process, suggestion by suggestion
 * in turn (issue 14; docs/architecture/gp-refit.md).
 *
 * Each searcher is restored from the same N random finished trials, so its first suggestion
 * is a full hyperparameter refit (all starts), and the timed window of `--repeats`
 * suggestions starts with it. The default window, 50 at N = 100, is one whole cycle of the
 * default's refit schedule (`refitGrowth` 1.5: full refits at 100 and 150) and five of the
 * older rules' (every 10 trials), so the mean charges each rule its full refits at the rate a
 * run pays them. At larger N with the same window the default's one full refit is charged
 * more often than a run pays it (every N / 2 trials), so its mean there is an upper bound.
 * Both the median (the figure of benchmarks/perf/scale.ts, which never sees a full refit)
 * and the mean are printed, and the number of full refits in the window. The JIT is warmed on
 * throwaway searchers (N = 30) first. Prints `name=value` lines, and the load average.
 *
 *   npx tsx benchmarks/perf/gp-refit-cost.ts                  # N = 100, 50 timed suggestions each
 *   npx tsx benchmarks/perf/gp-refit-cost.ts --n 1000 --repeats 30
 *   npx tsx benchmarks/perf/gp-refit-cost.ts --with '{"randomCandidates":1000}'   # also the default with these options ("with")
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { GP_BO_FIT_SKIP_OPTIONS, GP_BO_REFERENCE_OPTIONS, GPSearcher, type GPSearcherOptions } from "../../algorithms/searchers/index.ts";
import { OptionError, type Config, type Searcher } from "../../core/contracts/index.ts";
import { uniform, type Space } from "../../core/space/index.ts";
import { hartmann6 } from "../objectives/index.ts";
import { median } from "../stats/index.ts";
import { numberFlag } from "../script-flags.ts";

const { values: args } = parseArgs({ options: { n: { type: "string" }, repeats: { type: "string" }, with: { type: "string" } } });
const n = numberFlag("n", args.n, 100, { integer: true, min: 2 });
const repeats = numberFlag("repeats", args.repeats, 50, { integer: true, min: 1 });
const print = (name: string, value: number): void => console.log(`${name}=${value.toPrecision(4)}`);

const space: Space = Object.fromEntries(hartmann6.bounds.map(([low, high], i) => [`x${i}`, uniform(low, high)]));
const point = new Float64Array(6);
const tell = (searcher: Searcher, id: string, config: Config): void => {
  for (let i = 0; i < 6; i++) point[i] = config[`x${i}`] as number;
  searcher.onTrialComplete(id, { trialId: id, iteration: 1, metrics: { y: hartmann6.evaluate(point) }, time: 0, timeTotal: 1 });
};

/** A model-phase searcher restored from `size` random finished trials (seed 0), as scale-searchers.ts builds it. */
function withHistory(options: Partial<GPSearcherOptions>, size: number): GPSearcher {
  const base = { metric: "y", mode: "min" as const, seed: 0, ...options };
  const builder = new GPSearcher(space, { ...base, nStartupTrials: size + 1 });
  for (let t = 0; t < size; t++) tell(builder, `h${t}`, builder.suggest(`h${t}`) as Config);
  const searcher = new GPSearcher(space, base);
  searcher.restore(builder.save());
  return searcher;
}

/** `--with`: a JSON object of GPSearcher options (their values are checked by GPSearcher itself). */
function withFlag(raw: string): Partial<GPSearcherOptions> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new OptionError("with", `must be a JSON object of GPSearcher options, got ${JSON.stringify(raw)}`);
  return parsed as Partial<GPSearcherOptions>;
}

const lastFullFit = (searcher: GPSearcher): number => (searcher.save() as { lastFullFit: number }).lastFullFit;

const variants: Array<[string, Partial<GPSearcherOptions>]> = [
  ["default", {}],
  ["fit_skip", GP_BO_FIT_SKIP_OPTIONS],
  ["reference", GP_BO_REFERENCE_OPTIONS],
];
if (args.with !== undefined) variants.push(["with", withFlag(args.with)]);
const loadBefore = loadavg()[0] as number;
// JIT warm-up, untimed: a few suggestions of each rule on a small history (a full refit included).
for (const [, options] of variants) {
  const warm = withHistory(options, 30);
  for (let r = 0; r < 12; r++) tell(warm, `w${r}`, warm.suggest(`w${r}`) as Config);
}
const searchers = variants.map(([, options]) => withHistory(options, n));
const cpu = variants.map((): number[] => []);
const fullRefits = variants.map(() => 0);
for (let r = 0; r < repeats; r++) {
  searchers.forEach((searcher, k) => {
    const id = `t${r}`;
    const before = lastFullFit(searcher);
    const started = process.cpuUsage();
    const config = searcher.suggest(id) as Config;
    const used = process.cpuUsage(started);
    (cpu[k] as number[]).push((used.user + used.system) / 1000);
    if (r === 0 || lastFullFit(searcher) !== before) fullRefits[k] = (fullRefits[k] as number) + 1;
    tell(searcher, id, config);
  });
}
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
variants.forEach(([name], k) => {
  print(`gp_refit.n${n}.${name}.cpu_ms_median`, median(cpu[k] as number[]));
  print(`gp_refit.n${n}.${name}.cpu_ms_mean`, mean(cpu[k] as number[]));
  console.log(`gp_refit.n${n}.${name}.full_refits=${fullRefits[k]}`);
});
variants.slice(1).forEach(([name], k) => {
  print(`gp_refit.n${n}.median_speedup_vs_${name}`, median(cpu[k + 1] as number[]) / median(cpu[0] as number[]));
  print(`gp_refit.n${n}.mean_speedup_vs_${name}`, mean(cpu[k + 1] as number[]) / mean(cpu[0] as number[]));
});
console.log(`gp_refit.timed_suggestions=${repeats}`);
print("gp_refit.load_average_1min_before", loadBefore);
print("gp_refit.load_average_1min_after", loadavg()[0] as number);
