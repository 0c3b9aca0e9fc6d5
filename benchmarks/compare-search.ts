/**
 * Moved (issue 13). This issue-4 script's five modes are files of their own now, each
 * printing what the mode printed (the code moved unchanged, so the figures are the same);
 * the problems and the ask/tell driver they share are benchmarks/search/. The old
 * commands still work: this script runs the file a mode moved to.
 *
 *   (no flag)           studies/search-quality.ts, then perf/search-speed.ts
 *   --quality [--tpe-only]  benchmarks/studies/search-quality.ts [--tpe-only]
 *   --speed             benchmarks/perf/search-speed.ts
 *   --tpe-sweep [--only A,B] [--seeds N]  benchmarks/studies/tpe-sweep.ts
 *   --target-odds FILE  benchmarks/studies/tpe-target-odds.ts FILE
 *   --bohb-sim          benchmarks/studies/bohb-budgets.ts; the same grid in the runner:
 *                       tunelab bench --suite search-bohb
 *
 * Ask/tell without the simulator is not a suite of `tunelab bench` (a suite's cell is a
 * simulated experiment); Optuna's numbers are JSON beside optuna_search.py
 * (benchmarks/peers/optuna-search-held-out.json).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// benchmarks/gp-regret-check.ts (and any other reader) still finds the shared kit here.
export { problems, mixed, type Problem } from "./search/problems.ts";
export { runOnce, searchers } from "./search/ask-tell.ts";
export { tpeSweepVariants } from "./studies/tpe-sweep.ts";

/** The scripts a command line of the old script runs now, with their arguments, in order. */
export function movedTo(argv: readonly string[]): Array<[script: string, args: string[]]> {
  const has = (flag: string) => argv.includes(flag);
  const after = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 && argv[at + 1] !== undefined ? [flag, argv[at + 1] as string] : [];
  };
  if (has("--tpe-sweep")) return [["studies/tpe-sweep.ts", [...after("--only"), ...after("--seeds")]]];
  if (has("--target-odds")) return [["studies/tpe-target-odds.ts", [argv[argv.indexOf("--target-odds") + 1] ?? "optuna-regrets.json"]]];
  if (has("--bohb-sim")) return [["studies/bohb-budgets.ts", []]];
  const runs: Array<[string, string[]]> = [];
  if (!has("--speed")) runs.push(["studies/search-quality.ts", has("--tpe-only") ? ["--tpe-only"] : []]);
  if (!has("--quality")) runs.push(["perf/search-speed.ts", []]);
  return runs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [script, args] of movedTo(process.argv.slice(2))) {
    process.stderr.write(`compare-search.ts moved: running benchmarks/${script} ${args.join(" ")}\n`);
    const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
    const child = spawnSync(process.execPath, [...process.execArgv, path, ...args], { stdio: "inherit" });
    if (child.status !== 0) {
      process.exitCode = child.status ?? 1;
      break;
    }
  }
}
