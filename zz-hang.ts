import { runCell } from "/work/wt-lcbench/cli/bench/cell.ts";
import { lcbenchSuite } from "/work/wt-lcbench/benchmarks/suites/index.ts";
const t0 = performance.now();
for (const method of ["tpe:asha", "bohb:hyperband-bohb", "random:pbt", "gp:fifo"]) {
  console.log("start", method, ((performance.now() - t0) / 1000).toFixed(1));
  const r = await runCell({ suite: "lcbench", method, benchmark: "lcbench/167152", seed: 0 }, lcbenchSuite);
  console.log(method, r.ok, r.ok ? [r.trials, r.results, r.finalRegret, r.surrogate] : r.error, ((performance.now() - t0) / 1000).toFixed(1));
}
process.exit(0);
