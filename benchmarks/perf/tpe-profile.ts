/**
 * A TPE workload to profile (issue 14): suggestions at N finished trials on Hartmann6 (6
 * floats), after a JIT warm-up. Run under the profiler and summarise with cpuprofile-summary.ts:
 *   node --cpu-prof --cpu-prof-dir=tmp/prof --import tsx benchmarks/perf/tpe-profile.ts --mode univariate --n 2000
 *   npx tsx benchmarks/perf/cpuprofile-summary.ts tmp/prof/<file>.cpuprofile
 * Prints `tpe_profile.cpu_ms_per_suggestion=…` for the profiled loop.
 */
import { msPerSuggestion, searcherFactories } from "./scale-searchers.ts";
import { readTpeScriptFlags } from "./tpe-script-flags.ts";

const { mode, n, repeats } = readTpeScriptFlags("univariate");
const factory = searcherFactories[`tpe-${mode}`];
msPerSuggestion([factory], 300, 1, 150);
const [time] = msPerSuggestion([factory], n, repeats, 10);
console.log(`tpe_profile.mode=${mode}`);
console.log(`tpe_profile.n=${n}`);
console.log(`tpe_profile.cpu_ms_per_suggestion=${time?.cpuMs}`);
