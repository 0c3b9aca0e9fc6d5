/**
 * Side-by-side check that TPE proposes what git revision REF's TPE proposes (issue 14's
 * bit-for-bit rule), beyond the pinned digests: both searchers get the same random history
 * of N finished trials, then `--count` suggestions each, told back one at a time (or
 * `--batch` at once, so pending trials sit in the bad group), compared as JSON text.
 *   npx tsx benchmarks/perf/tpe-identity.ts --baseline 7431a0b --n 1000 --count 200
 * Prints `tpe_identity.<mode>.n<N>.batch<B>.seed<S>.first_mismatch=<index, -1 for none>` and the compared count.
 */
import { parseArgs } from "node:util";
import type { Config, Searcher } from "../../core/contracts/index.ts";
import { hartmann6 } from "../objectives/index.ts";
import { baselineFactories, searcherFactories, type Factory } from "./scale-searchers.ts";

const { values } = parseArgs({
  options: {
    baseline: { type: "string" },
    n: { type: "string", default: "1000" },
    count: { type: "string", default: "200" },
    batch: { type: "string", default: "1" },
    seeds: { type: "string", default: "1" },
  },
});
if (values.baseline === undefined) throw new Error("--baseline: a git revision is required");
const positive = (name: string, text: string): number => {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name}: must be an integer >= 1, got ${text}`);
  return v;
};
const n = positive("n", values.n);
const count = positive("count", values.count);
const batch = positive("batch", values.batch);
const seeds = positive("seeds", values.seeds);
const old = await baselineFactories(values.baseline);

const x = new Float64Array(6);
function loss(config: Config): number {
  for (let i = 0; i < 6; i++) x[i] = config[`x${i}`] as number;
  return hartmann6.evaluate(x);
}
function tell(searcher: Searcher, id: string, config: Config, t: number): void {
  searcher.onTrialComplete(id, { trialId: id, iteration: 1, metrics: { y: loss(config) }, time: t, timeTotal: 1 });
}
/** The factory's searcher with a random history of n trials, reseeded through save/restore. */
function withHistory(factory: Factory, seed: number): Searcher {
  const builder = factory(n + 1);
  // The factories fix seed 0; a different seed gives a different history through a few extra random trials.
  for (let t = 0; t < n + seed - 1; t++) tell(builder, `h${t}`, builder.suggest(`h${t}`) as Config, t);
  const searcher = factory();
  searcher.restore(builder.save());
  return searcher;
}

for (const mode of ["univariate", "multivariate"] as const) {
  for (let seed = 1; seed <= seeds; seed++) {
    const mine = withHistory(searcherFactories[`tpe-${mode}`], seed);
    const theirs = withHistory(old[`tpe-${mode}`], seed);
    // The first suggestion that differs (-1: none); after it the histories differ, so the check stops.
    let firstMismatch = -1;
    let compared = 0;
    for (let k = 0; k < count && firstMismatch < 0; k += batch) {
      const pending: Array<[string, Config, Config]> = [];
      for (let b = 0; b < batch; b++) {
        const id = `t${k + b}`;
        const a = mine.suggest(id) as Config;
        const c = theirs.suggest(id) as Config;
        compared++;
        if (JSON.stringify(a) !== JSON.stringify(c) && firstMismatch < 0) firstMismatch = k + b;
        pending.push([id, a, c]);
      }
      for (const [id, a, c] of pending) {
        tell(mine, id, a, k);
        tell(theirs, id, c, k);
      }
    }
    console.log(`tpe_identity.${mode}.n${n}.batch${batch}.seed${seed}.compared=${compared}`);
    console.log(`tpe_identity.${mode}.n${n}.batch${batch}.seed${seed}.first_mismatch=${firstMismatch}`);
  }
}
