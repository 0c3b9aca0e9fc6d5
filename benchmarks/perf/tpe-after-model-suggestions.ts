/**
 * TPE's CPU ms per suggestion over many model suggestions after the random history (issue 14):
 * scale.ts times 21 suggestions after N random trials, where the bad group is spread out; in a
 * real run most trials are the model's own, clustered near the good region, and the bounds
 * there have more components near each candidate. Median over `--repeats` suggestions, the
 * history growing by one trial each; with `--baseline REF` the searchers of REF take turns in
 * the same process (ratio to compare on a loaded machine).
 *   npx tsx benchmarks/perf/tpe-after-model-suggestions.ts --mode multivariate --n 2000 --repeats 200 --baseline 3f4385a
 * Prints `tpe_after_model.<mode>.n<N>.r<R>.cpu_ms_per_suggestion=…` (and the baseline's, and the CPU speedup).
 */
import { baselineFactories, msPerSuggestion, searcherFactories } from "./scale-searchers.ts";
import { readTpeScriptFlags } from "./tpe-script-flags.ts";

const { mode, n, repeats, baseline } = readTpeScriptFlags("multivariate");
const ours = searcherFactories[`tpe-${mode}`];
const factories = baseline !== undefined ? [ours, (await baselineFactories(baseline))[`tpe-${mode}`]] : [ours];
// JIT warm-up on a throwaway history, as scale.ts does.
msPerSuggestion(factories, 300, 1, 150);
const [mine, old] = msPerSuggestion(factories, n, repeats, 10);
const key = `tpe_after_model.${mode}.n${n}.r${repeats}`;
console.log(`${key}.cpu_ms_per_suggestion=${mine?.cpuMs}`);
if (old !== undefined && mine !== undefined) {
  console.log(`${key}.baseline_cpu_ms_per_suggestion=${old.cpuMs}`);
  console.log(`${key}.cpu_speedup_vs_baseline=${old.cpuMs / mine.cpuMs}`);
}
