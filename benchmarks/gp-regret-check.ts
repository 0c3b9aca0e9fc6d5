/**
 * GP-BO's speed changes against a reference rule (issue 14: median regret on the five
 * problems of compare-search within 1.2x of the reference's, on the same seeds).
 * Both run ask/tell on the same seeds (compare-search's runOnce). The reference is
 * `--reference`: `fit-skip` (`GP_BO_FIT_SKIP_OPTIONS`, the default of round 5, and the
 * default of this flag), `original` (`GP_BO_REFERENCE_OPTIONS`, the rule before issue 14's
 * speed work) or a JSON object of GPSearcher options. The candidate is the default options,
 * with `--candidate JSON` merged over them, then `--fit-skip-period K` / `--warm-iterations K`.
 *
 * Prints `name=value` lines, per problem: the median simple regret at 100 evaluations of
 * each with a 95% bootstrap interval; the ratio of the medians with a paired bootstrap
 * interval (seeds resampled together); the two-sided Wilcoxon signed-rank p-value of the
 * paired regrets; and how far the ratio moves by luck alone: the reference against
 * itself on the two halves of the seeds (disjoint seeds, Mann-Whitney p), and the chance
 * that the reference's median on 20 seeds drawn from its own pool is over 1.2x its median
 * on 20 others (bootstrap), i.e. how often the 1.2x criterion fails a rule against itself.
 * `--out FILE` also writes the per-seed regrets as JSON lines.
 *
 *   npx tsx benchmarks/gp-regret-check.ts --seeds 40                      # seeds 0..39, the default against the reference
 *   npx tsx benchmarks/gp-regret-check.ts --seeds 40 --only branin,mixed --out regrets.jsonl
 *   npx tsx benchmarks/gp-regret-check.ts --seeds 20 --fit-skip-period 1 --warm-iterations 5
 *   npx tsx benchmarks/gp-regret-check.ts --seeds 40 --reference original --candidate '{"randomCandidates":1000}'
 */
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { GP_BO_FIT_SKIP_OPTIONS, GP_BO_REFERENCE_OPTIONS, GPSearcher, type GPSearcherOptions } from "../algorithms/searchers/index.ts";
import { OptionError } from "../core/errors/index.ts";
import { rngFor } from "../core/rng.ts";
import { problems, runOnce } from "./compare-search.ts";
import { numberFlag } from "./script-flags.ts";
import { mannWhitneyU, median, medianInterval, quantile, resampledChance, wilcoxonSignedRank } from "./stats/index.ts";

const { values: args } = parseArgs({
  options: {
    "first-seed": { type: "string" },
    seeds: { type: "string" },
    only: { type: "string" },
    out: { type: "string" },
    "fit-skip-period": { type: "string" },
    "warm-iterations": { type: "string" },
    reference: { type: "string" },
    candidate: { type: "string" },
  },
});
const firstSeed = numberFlag("first-seed", args["first-seed"], 0, { integer: true, min: 0 });
const seeds = Array.from({ length: numberFlag("seeds", args.seeds, 40, { integer: true, min: 2 }) }, (_, i) => firstSeed + i);
const only = args.only?.split(",");
const out = args.out;
/** A JSON object of GPSearcher options given on the command line (its values are checked by GPSearcher itself). */
function optionsFlag(flag: string, raw: string): Partial<GPSearcherOptions> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new OptionError(flag, `must be a JSON object of GPSearcher options, got ${JSON.stringify(raw)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new OptionError(flag, `must be a JSON object of GPSearcher options, got ${raw}`);
  return parsed as Partial<GPSearcherOptions>;
}
const namedReferences: Record<string, Partial<GPSearcherOptions>> = { "fit-skip": GP_BO_FIT_SKIP_OPTIONS, original: GP_BO_REFERENCE_OPTIONS };
/** `--reference`: a named rule or a JSON object of options. */
function referenceOptionsOf(flag: string): Partial<GPSearcherOptions> {
  const named = namedReferences[flag];
  if (named !== undefined) return named;
  if (flag.trimStart().startsWith("{")) return optionsFlag("reference", flag);
  throw new OptionError("reference", `must be fit-skip, original or a JSON object of GPSearcher options, got ${JSON.stringify(flag)}`);
}
const referenceOptions = referenceOptionsOf(args.reference ?? "fit-skip");
const overrides: Partial<GPSearcherOptions> = args.candidate === undefined ? {} : { ...optionsFlag("candidate", args.candidate) };
if (args["fit-skip-period"] !== undefined) overrides.fitSkipPeriod = numberFlag("fit-skip-period", args["fit-skip-period"], 1, { integer: true, min: 1 });
if (args["warm-iterations"] !== undefined) overrides.warmIterations = numberFlag("warm-iterations", args["warm-iterations"], 15, { integer: true, min: 1 });
const base = (seed: number) => ({ metric: "y", mode: "min" as const, seed });
const print = (name: string, value: number | string): void => console.log(`${name}=${typeof value === "number" ? value.toPrecision(4) : value}`);
const interval = ([low, high]: readonly [number, number]): string => `[${low.toPrecision(3)},${high.toPrecision(3)}]`;

/** Percentile bootstrap interval of median(candidate) / median(reference), seeds resampled in pairs. */
function ratioInterval(candidate: readonly number[], reference: readonly number[], draws = 2000): [number, number] {
  const rng = rngFor(0, "benchmark:gp-regret-ratio");
  const ratios: number[] = [];
  for (let d = 0; d < draws; d++) {
    const picks = candidate.map(() => Math.floor(rng.next() * candidate.length));
    const r = median(picks.map((i) => reference[i] as number));
    ratios.push(r === 0 ? (median(picks.map((i) => candidate[i] as number)) === 0 ? 1 : Infinity) : median(picks.map((i) => candidate[i] as number)) / r);
  }
  return [quantile(ratios, 0.025), quantile(ratios, 0.975)];
}

console.log(`# candidate: default options${Object.keys(overrides).length ? ` with ${JSON.stringify(overrides)}` : ""}; reference: ${JSON.stringify(referenceOptions)}; seeds ${seeds[0]}..${seeds.at(-1)}`);
for (const problem of problems) {
  if (only && !only.includes(problem.name)) continue;
  const reference: number[] = [];
  const candidate: number[] = [];
  let referenceCpu = 0;
  let candidateCpu = 0;
  for (const seed of seeds) {
    // Interleaved, so load on the machine hits both alike; CPU time, not wall.
    let started = process.cpuUsage();
    reference.push(runOnce(problem, (space, s) => new GPSearcher(space, { ...base(s), ...referenceOptions }), seed, 100).at(-1) as number);
    let used = process.cpuUsage(started);
    referenceCpu += (used.user + used.system) / 1e6;
    started = process.cpuUsage();
    candidate.push(runOnce(problem, (space, s) => new GPSearcher(space, { ...base(s), ...overrides }), seed, 100).at(-1) as number);
    used = process.cpuUsage(started);
    candidateCpu += (used.user + used.system) / 1e6;
  }
  if (out !== undefined) appendFileSync(out, `${JSON.stringify({ problem: problem.name, seeds, overrides, referenceOptions, reference, candidate, referenceCpu, candidateCpu })}\n`);
  const key = `gp_regret.${problem.name}`;
  print(`${key}.seeds`, seeds.length);
  print(`${key}.reference.median`, median(reference));
  print(`${key}.reference.median_ci95`, interval(medianInterval(reference)));
  print(`${key}.candidate.median`, median(candidate));
  print(`${key}.candidate.median_ci95`, interval(medianInterval(candidate)));
  print(`${key}.ratio_of_medians`, median(candidate) / median(reference));
  print(`${key}.ratio_of_medians_ci95`, interval(ratioInterval(candidate, reference)));
  print(`${key}.wilcoxon_p`, wilcoxonSignedRank(candidate, reference).p);
  print(`${key}.candidate_wins`, candidate.filter((v, i) => v < (reference[i] as number)).length);
  print(`${key}.reference_wins`, candidate.filter((v, i) => v > (reference[i] as number)).length);
  // Luck alone: the reference against itself on disjoint seeds.
  const half = Math.floor(reference.length / 2);
  const [first, second] = [reference.slice(0, half), reference.slice(half, 2 * half)];
  print(`${key}.reference_halves.ratio_of_medians`, median(second) / median(first));
  print(`${key}.reference_halves.mann_whitney_p`, mannWhitneyU(second, first).p);
  print(`${key}.reference_vs_itself.chance_ratio_over_1.2_at_20_seeds`, resampledChance([reference, reference], 20, ([a, b]) => median(a as number[]) > 1.2 * median(b as number[])));
  print(`${key}.cpu_s_ratio`, candidateCpu / referenceCpu);
}
