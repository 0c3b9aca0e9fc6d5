/**
 * How much of the bad group multivariate TPE's bounds touch (issue 14): on Hartmann6 (6
 * floats) with N finished random trials, the k-d tree walk of multivariate-bounds.ts per
 * candidate: nodes tested against the margin, points of the leaves visited (their Q formed if members), members
 * scored exactly, and candidates per suggestion bounded in the first pass and in the tight pass.
 *   npx tsx benchmarks/perf/tpe-multivariate-work.ts --n 2000 --count 40
 * Prints `tpe_multivariate_work.n<N>.<name>=<value>` lines.
 */
import { parseArgs } from "node:util";
import { MultivariateBounds } from "../../algorithms/searchers/tpe/multivariate-bounds.ts";
import type { Config, Searcher } from "../../core/contracts/index.ts";
import { hartmann6 } from "../objectives/index.ts";
import { searcherFactories } from "./scale-searchers.ts";

const { values } = parseArgs({ options: { n: { type: "string", default: "2000" }, count: { type: "string", default: "40" } } });
const n = Number(values.n);
const count = Number(values.count);
if (!Number.isInteger(n) || n < 100) throw new Error(`--n: must be an integer >= 100, got ${values.n}`);
if (!Number.isInteger(count) || count < 1) throw new Error(`--count: must be an integer >= 1, got ${values.count}`);

const x = new Float64Array(6);
function tell(searcher: Searcher, id: string, config: Config, t: number): void {
  for (let i = 0; i < 6; i++) x[i] = config[`x${i}`] as number;
  searcher.onTrialComplete(id, { trialId: id, iteration: 1, metrics: { y: hartmann6.evaluate(x) }, time: t, timeTotal: 1 });
}
const factory = searcherFactories["tpe-multivariate"];
const builder = factory(n + 1);
for (let t = 0; t < n; t++) tell(builder, `h${t}`, builder.suggest(`h${t}`) as Config, t);
const searcher = factory();
searcher.restore(builder.save());

// Every bounds object the searcher makes, to read its work counters (benchmark-only wrapping).
const made: MultivariateBounds[] = [];
const kept = MultivariateBounds.kept.bind(MultivariateBounds);
MultivariateBounds.kept = (input) => {
  const bounds = kept(input);
  if (bounds !== null) made.push(bounds);
  return bounds;
};
for (let t = 0; t < count; t++) tell(searcher, `t${t}`, searcher.suggest(`t${t}`) as Config, t);
const total = { candidates: 0, nodes: 0, members: 0, exact: 0, tightCandidates: 0, tightMembers: 0, stopped: 0 };
for (const b of made) for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += b.work[key];
const line = (name: string, value: number) => console.log(`tpe_multivariate_work.n${n}.${name}=${Number(value.toFixed(2))}`);
line("suggestions", made.length);
line("bad_group_size", n - 25);
line("nodes_tested_per_candidate", total.nodes / total.candidates);
line("leaf_points_visited_per_candidate", total.members / total.candidates);
line("leaf_points_visited_per_suggestion", total.members / made.length);
line("members_scored_exactly_per_candidate", total.exact / total.candidates);
// Of 24 candidates, those bounded in the first pass (the rest fall to the prior's score alone: best-candidate.ts).
line("first_pass_candidates_per_suggestion", (total.candidates - total.tightCandidates) / made.length);
line("first_pass_walks_stopped_dominated_per_suggestion", total.stopped / made.length);
line("middle_and_tight_pass_candidates_per_suggestion", total.tightCandidates / made.length);
line("leaf_points_visited_per_middle_or_tight_candidate", total.tightMembers / Math.max(total.tightCandidates, 1));
