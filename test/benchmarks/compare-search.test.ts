import { describe, expect, it } from "vitest";
import { movedTo, problems, runOnce, searchers } from "../../benchmarks/compare-search.ts";
import { searchBohbSuite, suiteByName } from "../../benchmarks/suites/index.ts";

describe("compare-search.ts (moved, issue 13)", () => {
  it("runs, for each old command line, the file its mode moved to", () => {
    expect(movedTo([])).toEqual([["studies/search-quality.ts", []], ["perf/search-speed.ts", []]]);
    expect(movedTo(["--quality", "--tpe-only"])).toEqual([["studies/search-quality.ts", ["--tpe-only"]]]);
    expect(movedTo(["--speed"])).toEqual([["perf/search-speed.ts", []]]);
    expect(movedTo(["--tpe-sweep", "--only", "gamma", "--seeds", "140"])).toEqual([["studies/tpe-sweep.ts", ["--only", "gamma", "--seeds", "140"]]]);
    expect(movedTo(["--target-odds", "x.json"])).toEqual([["studies/tpe-target-odds.ts", ["x.json"]]]);
    expect(movedTo(["--bohb-sim"])).toEqual([["studies/bohb-budgets.ts", []]]);
  });

  it("still exports the ask/tell kit (gp-regret-check reads it), and --bohb-sim's grid is the search-bohb suite", () => {
    expect(problems.map((p) => p.name)).toEqual(["branin", "hartmann3", "hartmann6", "rosenbrock4", "mixed"]);
    // Random search's regret at 25/50/100 evaluations never grows.
    const [at25, at50, at100] = runOnce(problems[0]!, searchers.random!, 0, 100) as [number, number, number];
    expect(at25).toBeGreaterThanOrEqual(at50);
    expect(at50).toBeGreaterThanOrEqual(at100);
    expect(suiteByName("search-bohb")).toBe(searchBohbSuite);
    expect(searchBohbSuite).toMatchObject({ gpus: 8, trials: 200, maxIterations: 81, benchmarks: ["branin", "hartmann6"] });
  });
});
