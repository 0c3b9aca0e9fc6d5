/**
 * A TPE workload to profile (issue 14): suggestions at N finished trials on Hartmann6 (6
 * floats), after a JIT warm-up. Run under the profiler and summarise with cpuprofile-summary.ts:
 *   node --cpu-prof --cpu-prof-dir=tmp/prof --import tsx benchmarks/perf/tpe-profile.ts --mode univariate --n 2000
 *   npx tsx benchmarks/perf/cpuprofile-summary.ts tmp/prof/<file>.cpuprofile
 * Prints `tpe_profile.cpu_ms_per_suggestion=…` for the profiled loop.
 */
import { parseArgs } from "node:util";
import { msPerSuggestion, searcherFactories } from "./scale-searchers.ts";

const { values } = parseArgs({ options: { mode: { type: "string", default: "univariate" }, n: { type: "string", default: "2000" }, repeats: { type: "string", default: "200" } } });
const mode = values.mode;
if (mode !== "univariate" && mode !== "multivariate") throw new Error(`--mode: must be univariate or multivariate, got ${mode}`);
const n = Number(values.n);
const repeats = Number(values.repeats);
if (!Number.isInteger(n) || n < 20) throw new Error(`--n: must be an integer >= 20, got ${values.n}`);
if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats: must be an integer >= 1, got ${values.repeats}`);
const factory = searcherFactories[`tpe-${mode}`];
msPerSuggestion([factory], 300, 1, 150);
const [time] = msPerSuggestion([factory], n, repeats, 10);
console.log(`tpe_profile.mode=${mode}`);
console.log(`tpe_profile.n=${n}`);
console.log(`tpe_profile.cpu_ms_per_suggestion=${time?.cpuMs}`);
