/**
 * GP-BO's speed changes against its reference rule (issue 14: median regret on the five
 * problems of compare-search within 1.2x of the reference's, on the same seeds).
 * Both run ask/tell on the same seeds (compare-search's runOnce); the reference is
 * `GP_BO_REFERENCE_OPTIONS` (the rule before the change), the candidate the default
 * with `--warm-iterations K` warm Adam steps (default 5).
 * Prints `name=value` lines: per problem the median simple regret at 100 evaluations of
 * each, a 95% bootstrap interval of each median, the ratio of the medians and the
 * two-sided Wilcoxon signed-rank p-value of the paired regrets.
 *
 *   npx tsx benchmarks/gp-regret-check.ts --seeds 20            # seeds 0..19, 5 warm steps against 15
 *   npx tsx benchmarks/gp-regret-check.ts --seeds 20 --only branin,mixed
 */
import { GP_BO_REFERENCE_OPTIONS, GPSearcher } from "../algorithms/searchers/index.ts";
import { problems, runOnce } from "./compare-search.ts";
import { median, medianInterval, wilcoxonSignedRank } from "./stats/index.ts";

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const seeds = Array.from({ length: Number(flag("--seeds") ?? 20) }, (_, i) => i);
const only = flag("--only")?.split(",");
const warmIterations = Number(flag("--warm-iterations") ?? 5);
const base = (seed: number) => ({ metric: "y", mode: "min" as const, seed });
const print = (name: string, value: number | string): void => console.log(`${name}=${typeof value === "number" ? value.toPrecision(4) : value}`);

for (const problem of problems) {
  if (only && !only.includes(problem.name)) continue;
  const reference: number[] = [];
  const candidate: number[] = [];
  let referenceSeconds = 0;
  let candidateSeconds = 0;
  for (const seed of seeds) {
    // Interleaved, so load on the machine hits both alike.
    let started = performance.now();
    reference.push(runOnce(problem, (space, s) => new GPSearcher(space, { ...base(s), ...GP_BO_REFERENCE_OPTIONS }), seed, 100).at(-1) as number);
    referenceSeconds += (performance.now() - started) / 1000;
    started = performance.now();
    candidate.push(runOnce(problem, (space, s) => new GPSearcher(space, { ...base(s), warmIterations }), seed, 100).at(-1) as number);
    candidateSeconds += (performance.now() - started) / 1000;
  }
  const key = `gp_regret.${problem.name}`;
  const [rl, rh] = medianInterval(reference);
  const [cl, ch] = medianInterval(candidate);
  print(`${key}.seeds`, seeds.length);
  print(`${key}.reference.median`, median(reference));
  print(`${key}.reference.median_ci95`, `[${rl.toPrecision(3)},${rh.toPrecision(3)}]`);
  print(`${key}.candidate.median`, median(candidate));
  print(`${key}.candidate.median_ci95`, `[${cl.toPrecision(3)},${ch.toPrecision(3)}]`);
  print(`${key}.ratio_of_medians`, median(candidate) / median(reference));
  print(`${key}.wilcoxon_p`, wilcoxonSignedRank(candidate, reference).p);
  print(`${key}.candidate_wins`, candidate.filter((v, i) => v < (reference[i] as number)).length);
  print(`${key}.reference_wins`, candidate.filter((v, i) => v > (reference[i] as number)).length);
  print(`${key}.wall_s_ratio`, candidateSeconds / referenceSeconds);
}
