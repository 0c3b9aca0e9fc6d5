/**
 * Univariate TPE's bad-group bounds builder per call (issue 14, round 8): the median
 * microseconds of `BadGroupKernels.bounds` over `--repeats` model suggestions after N random
 * trials on Hartmann6 (6 floats, so 6 calls a suggestion), with how many calls patched the
 * kept state and how many rebuilt it; with `--baseline REF`, the same for REF's builder,
 * measured after ours in the same process (the builder is timed call by call, so the two
 * searchers are not interleaved).
 *   npx tsx benchmarks/perf/tpe-bad-group-bounds.ts --n 1000 --repeats 100 --baseline 91f7bc0
 * Prints `tpe_bad_group_bounds.n<N>.us_per_call=…`, `.patched=…`, `.rebuilt=…` and the baseline's `us_per_call`.
 * The first suggestion after `restore` computes every normaliser (an empty memo): it is a rebuild.
 */
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { BadGroupKernels } from "../../algorithms/searchers/tpe/bad-group-bounds.ts";
import { baselineFactories, msPerSuggestion, searcherFactories, type Factory } from "./scale-searchers.ts";
import { readTpeScriptFlags } from "./tpe-script-flags.ts";

const { n, repeats, baseline } = readTpeScriptFlags("univariate");

/** Median microseconds per `bounds` call of the given builder class while `factory`'s searcher makes `repeats` model suggestions; patches and rebuilds where the builder counts them. */
function timeBounds(builder: { prototype: object }, factory: Factory): { us: number; calls: number; patched: number; rebuilt: number } {
  const prototype = builder.prototype as { bounds: (this: { patched?: number; rebuilt?: number }, ...args: unknown[]) => unknown };
  const original = prototype.bounds;
  const times: number[] = [];
  let patched = 0;
  let rebuilt = 0;
  prototype.bounds = function (this: { patched?: number; rebuilt?: number }, ...args: unknown[]) {
    const before = [this.patched ?? 0, this.rebuilt ?? 0] as const;
    const started = process.hrtime.bigint();
    const result = original.apply(this, args);
    times.push(Number(process.hrtime.bigint() - started) / 1e3);
    patched += (this.patched ?? 0) - before[0];
    rebuilt += (this.rebuilt ?? 0) - before[1];
    return result;
  };
  try {
    // JIT warm-up on a throwaway history, as scale.ts does; then the timed history.
    msPerSuggestion([factory], 300, 1, 150);
    times.length = 0;
    patched = 0;
    rebuilt = 0;
    msPerSuggestion([factory], n, repeats, 10);
  } finally {
    prototype.bounds = original;
  }
  times.sort((a, b) => a - b);
  return { us: times[times.length >> 1] ?? Number.NaN, calls: times.length, patched, rebuilt };
}

const key = `tpe_bad_group_bounds.n${n}`;
const ours = timeBounds(BadGroupKernels, searcherFactories["tpe-univariate"]);
console.log(`${key}.us_per_call=${ours.us.toFixed(1)}`);
console.log(`${key}.calls=${ours.calls}`);
console.log(`${key}.patched=${ours.patched}`);
console.log(`${key}.rebuilt=${ours.rebuilt}`);
if (baseline !== undefined) {
  const factories = await baselineFactories(baseline);
  // baselineFactories extracted REF under tmp/baseline-<commit>; its builder class is imported from there.
  const commit = execFileSync("git", ["rev-parse", "--short", baseline], { encoding: "utf8" }).trim();
  const module = (await import(pathToFileURL(resolve("tmp", `baseline-${commit}`, "algorithms/searchers/tpe/bad-group-bounds.ts")).href)) as { BadGroupKernels: { prototype: object } };
  const old = timeBounds(module.BadGroupKernels, factories["tpe-univariate"]);
  console.log(`${key}.baseline_us_per_call=${old.us.toFixed(1)}`);
  console.log(`${key}.speedup_vs_baseline=${(old.us / ours.us).toFixed(2)}`);
}
