/**
 * The odds of issue 4's 10-seed TPE quality target, from 100 seeds per searcher: ours run
 * here, Optuna's read from the dump of benchmarks/peers/optuna_search.py
 * (`--quality --seeds 0 100 --dump optuna-regrets.json`). Moved from
 * `compare-search.ts --target-odds FILE` (issue 13), unchanged.
 *
 *   npx tsx benchmarks/studies/tpe-target-odds.ts [optuna-regrets.json]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { median, medianInterval, resampledChance, regretText as fmt } from "../stats/index.ts";
import { runOnce, searchers, type Factory } from "../search/ask-tell.ts";
import { problems } from "../search/problems.ts";

/**
 * Issue 4's quality target on 10 seeds: our TPE's median regret at 100 evaluations <= the
 * better of Optuna's two TPEs' on at least 4 of the 5 problems, and never above 1.5x. With
 * 100 seeds per searcher, this prints the medians with bootstrap 95% intervals and the
 * chance that a draw of 10 seeds per searcher meets the target, for our TPE and, as a
 * control, for each Optuna TPE measured against independent runs of both Optuna TPEs:
 * the chance a faithful re-implementation of Optuna would meet it.
 */
export function targetOdds(file: string): void {
  const dump = JSON.parse(readFileSync(file, "utf8")) as { seeds: number[]; checkpoints: number[]; regrets: Record<string, Record<string, number[][]>> };
  const at100 = dump.checkpoints.indexOf(100);
  if (at100 < 0) throw new Error(`${file}: no regrets at 100 evaluations`);
  const optunaNames = ["optuna tpe (default)", "optuna tpe multivariate+group"] as const;
  const optuna = problems.map((problem) =>
    optunaNames.map((name) => {
      const runs = dump.regrets[problem.name]?.[name];
      if (runs === undefined) throw new Error(`${file}: no runs of ${name} on ${problem.name}`);
      return runs.map((r) => r[at100] as number);
    }),
  );
  const contestants: Array<[string, Factory]> = [
    ["tpe (default)", searchers["tpe (default)"] as Factory],
    ["tpe multivariate+group", searchers["tpe multivariate+group"] as Factory],
  ];
  const ours = contestants.map(([, factory]) => problems.map((problem) => dump.seeds.map((seed) => runOnce(problem, factory, seed, 100).at(-1) as number)));
  const interval = (values: readonly number[]) => {
    const [low, high] = medianInterval(values);
    return `${fmt(median(values))} [${fmt(low)}, ${fmt(high)}]`;
  };
  console.log(`# regret at 100 evaluations over seeds ${dump.seeds[0]}..${dump.seeds.at(-1)}: median [bootstrap 95% interval]`);
  console.log(["problem".padEnd(13), ...[...optunaNames, ...contestants.map(([name]) => name)].map((name) => name.padEnd(32))].join(""));
  problems.forEach((problem, k) => {
    const cells = [...(optuna[k] as number[][]), ...ours.map((c) => c[k] as number[])].map((values) => interval(values).padEnd(32));
    console.log([problem.name.padEnd(13), ...cells].join(""));
  });
  // Pools: the contestant's five problems, then Optuna's (default, multivariate) per problem.
  const referencePools = optuna.flatMap((pair) => pair);
  const meets = (samples: readonly number[][]): { per: boolean[]; met: boolean } => {
    const ratios = problems.map((_, k) => median(samples[k] as number[]) / Math.min(median(samples[5 + 2 * k] as number[]), median(samples[6 + 2 * k] as number[])));
    const per = ratios.map((r) => r <= 1);
    return { per, met: per.filter(Boolean).length >= 4 && ratios.every((r) => r <= 1.5) };
  };
  const rows: Array<[string, number[][]]> = [
    ...contestants.map(([name], c): [string, number[][]] => [name, ours[c] as number[][]]),
    ...optunaNames.map((name, o): [string, number[][]] => [`control: ${name}`, optuna.map((pair) => pair[o] as number[])]),
  ];
  console.log(`
# chance on a draw of 10 seeds per searcher (bootstrap, 2000 draws): median <= the better Optuna TPE's, per problem; then the whole target`);
  console.log(["contestant".padEnd(40), ...problems.map((p) => p.name.padEnd(12)), "target met"].join(""));
  for (const [name, pools] of rows) {
    const all = [...pools, ...referencePools];
    const per = problems.map((_, k) => resampledChance(all, 10, (s) => meets(s).per[k] as boolean));
    const met = resampledChance(all, 10, (s) => meets(s).met);
    console.log([name.padEnd(40), ...per.map((v) => v.toFixed(2).padEnd(12)), met.toFixed(3)].join(""));
  }
  // The literal measurement, repeated: consecutive blocks of 10 seeds, each searcher on the same seeds.
  const blocks = Math.floor(dump.seeds.length / 10);
  for (const [name, pools] of rows.slice(0, contestants.length)) {
    let met = 0;
    for (let b = 0; b < blocks; b++) {
      const slice = (v: readonly number[]) => v.slice(10 * b, 10 * b + 10);
      if (meets([...pools, ...referencePools].map(slice)).met) met++;
    }
    console.log(`${name}: target met on ${met} of ${blocks} blocks of 10 consecutive seeds`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals } = parseArgs({ allowPositionals: true });
  targetOdds(positionals[0] ?? "optuna-regrets.json");
}
