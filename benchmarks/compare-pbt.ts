/**
 * Moved (issue 13). The settings of this issue-5 script (4 GPUs, population 4, equal
 * simulated time per benchmark, the perturbation intervals, now the benchmarks'
 * natural defaults) are the `rl` suite:
 *
 *   npx tsx benchmarks/compare-pbt.ts [--seeds N] [--out DIR]
 *   tunelab bench --suite rl --out DIR                     # the same
 *
 * Its own figures (PBT-16 and PB2-16, Mann-Whitney tests per benchmark, the `--power`
 * analysis of PB2-4 against PBT-4) are in benchmarks/studies/pbt-issue5.ts; the PB2
 * claim itself is a paper check (`tunelab check papers`).
 */
import { runSuiteScript } from "./suites/run-suite-script.ts";

process.exitCode = runSuiteScript("benchmarks/compare-pbt.ts", "rl", "benchmarks/studies/pbt-issue5.ts", process.argv.slice(2));
