/**
 * Moved (issue 13). The grid of this issue-3 script (random search under FIFO, ASHA
 * stopping and promotion, HyperBand and the median rule on the synthetic learning
 * curves, 16 GPUs, 256 trials, 10 seeds) is the `schedulers` suite:
 *
 *   npx tsx benchmarks/compare-schedulers.ts [--seeds N] [--out DIR]
 *   tunelab bench --suite schedulers --out DIR             # the same
 *
 * Its own figures (reached FIFO's best, GPU-seconds against FIFO, promotion against
 * stopping at equal epochs) and the curve export for peers/optuna_pruners.py are in
 * benchmarks/studies/schedulers-issue3.ts.
 */
import { runSuiteScript } from "./suites/run-suite-script.ts";

process.exitCode = runSuiteScript("benchmarks/compare-schedulers.ts", "schedulers", "benchmarks/studies/schedulers-issue3.ts", process.argv.slice(2));
