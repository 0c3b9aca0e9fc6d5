import { describe, expect, it } from "vitest";
import { OptionError } from "../../core/errors/index.ts";
import { runPlan, planFromFlags, type SimFlags } from "../../cli/sim-command.ts";
import { combinationWarnings } from "../../cli/flag-rules.ts";
import { tunelabCli } from "../_helpers/tunelab-cli.ts";
import { tunelabInProcess } from "../_helpers/tunelab-in-process.ts";

const flags: SimFlags = {
  benchmark: "branin",
  searcher: "random",
  scheduler: "fifo",
  trials: "16",
  gpus: "4",
  seed: "1",
  maxIterations: "10",
  preemptionRate: "0",
  gpusPerTrial: "1",
  checkpointFrequency: "0",
  maxFailures: "0",
};

function optionErrorOf(run: () => unknown): OptionError {
  try {
    run();
  } catch (error) {
    if (error instanceof OptionError) return error;
    throw error;
  }
  throw new Error("expected an OptionError");
}

describe("tunelab sim: flags that do not apply", () => {
  it.each([
    [{ scheduler: "fifo", maxT: "5" }, "--max-t", "applies only to --scheduler asha, asha-promotion, hyperband, hyperband-bohb, not --scheduler fifo"],
    [{ scheduler: "asha", perturbationInterval: "30" }, "--perturbation-interval", "applies only to --scheduler pbt, pb2, not --scheduler asha"],
    [{ scheduler: "hyperband", gracePeriod: "2" }, "--grace-period", "applies only to --scheduler asha, asha-promotion, median, not --scheduler hyperband"],
    [{ scheduler: "median", reductionFactor: "3" }, "--reduction-factor", "applies only to --scheduler asha, asha-promotion, hyperband, hyperband-bohb, not --scheduler median"],
    [{ searcher: "tpe", gridPoints: "3" }, "--grid-points", "applies only to --searcher grid, not --searcher tpe"],
  ])("%j is an error naming the flag and what it applies to", (extra, flag, problem) => {
    const error = optionErrorOf(() => planFromFlags({ ...flags, ...extra }));
    expect(error.field).toBe(flag);
    expect(error.message).toBe(`${flag}: ${problem}`);
  });

  it("accepts each flag with a scheduler it applies to", () => {
    expect(planFromFlags({ ...flags, scheduler: "asha", maxT: "8", gracePeriod: "2", reductionFactor: "2" })).toMatchObject({ maxT: 8, gracePeriod: 2, reductionFactor: 2 });
    expect(planFromFlags({ ...flags, scheduler: "pb2", perturbationInterval: "30" }).perturbationInterval).toBe(30);
    expect(planFromFlags({ ...flags, scheduler: "median", gracePeriod: "0" }).gracePeriod).toBe(0);
  });

  it("the CLI prints it as one line and exits 2", () => {
    const r = tunelabCli(["sim", "--scheduler", "fifo", "--max-t", "5"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("tunelab: --max-t: applies only to --scheduler asha, asha-promotion, hyperband, hyperband-bohb, not --scheduler fifo\n");
  });
});

describe("tunelab sim: grace period and max-t agree", () => {
  it.each([
    [{ scheduler: "asha", gracePeriod: "0" }, '--grace-period: must be a finite number > 0, got "0"'],
    [{ scheduler: "asha", gracePeriod: "-5" }, '--grace-period: must be a finite number > 0, got "-5"'],
    [{ scheduler: "asha", gracePeriod: "10" }, '--grace-period: must be < max-t (10, from --max-iterations), got "10"'],
    [{ scheduler: "asha", maxT: "4", gracePeriod: "6" }, '--grace-period: must be < max-t (4), got "6"'],
    [{ scheduler: "median", gracePeriod: "-1" }, '--grace-period: must be a finite number >= 0, got "-1"'],
    [{ scheduler: "asha", maxT: "-5" }, '--max-t: must be a finite number > 0, got "-5"'],
    [{ scheduler: "asha", maxT: "0" }, '--max-t: must be a finite number > 0, got "0"'],
  ])("%j: the flag and its bound", (extra, message) => {
    expect(optionErrorOf(() => planFromFlags({ ...flags, ...extra })).message).toBe(message);
  });
});

describe("tunelab sim --searcher grid", () => {
  it("on ranges without --grid-points is an error that says which", () => {
    const error = optionErrorOf(() => runPlan(planFromFlags({ ...flags, searcher: "grid" })));
    expect(error.field).toBe("--searcher");
    expect(error.message).toBe(
      "--searcher: grid needs grid leaves or a resolution: the space has 2 continuous or integer range(s) (x0, x1); give --grid-points k for k evenly spaced points on each",
    );
  });

  it("with --grid-points k tries the k x k grid, not only the corners", () => {
    const summary = runPlan(planFromFlags({ ...flags, searcher: "grid", gridPoints: "4", trials: "16", maxIterations: "2" }));
    expect(summary.trials).toBe(16);
    const best = summary.best!.config as { x0: number; x1: number };
    // Branin's x0 grid is -5, 0, 5, 10 and x1's 0, 5, 10, 15: the best is an inner point.
    expect([-5, 0, 5, 10]).toContain(best.x0);
    expect([0, 5, 10, 15]).toContain(best.x1);
    expect([best.x0, best.x1]).not.toEqual([-5, 0]);
  });

  it("refuses a grid larger than --trials, with the bound", () => {
    const error = optionErrorOf(() => runPlan(planFromFlags({ ...flags, searcher: "grid", gridPoints: "1000", trials: "16" })));
    expect(error.message).toBe(
      "--grid-points: 1000 points on each of 2 range(s) make 1000000 grid points, more than --trials 16: the grid would be cut short; use --grid-points <= 4 or more trials",
    );
  });
});

describe("tunelab sim: unusual combinations warn once", () => {
  it("names bohb without hyperband-bohb, and hyperband-bohb with a searcher that ignores budgets", () => {
    expect(combinationWarnings({ searcher: "bohb", scheduler: "fifo" })).toEqual([
      "--searcher bohb without --scheduler hyperband-bohb gets no stage budgets: its model uses each result's iteration as the budget (BOHB as published pairs it with hyperband-bohb)",
    ]);
    expect(combinationWarnings({ searcher: "tpe", scheduler: "hyperband-bohb" })).toEqual([
      "--scheduler hyperband-bohb announces stage budgets that --searcher tpe ignores: use --searcher bohb, or --scheduler hyperband",
    ]);
    expect(combinationWarnings({ searcher: "bohb", scheduler: "hyperband-bohb" })).toEqual([]);
    expect(combinationWarnings({ searcher: "random", scheduler: "asha" })).toEqual([]);
  });

  it("the CLI prints the warning once on stderr and still runs", async () => {
    const r = await tunelabInProcess(["sim", "--benchmark", "branin", "--searcher", "random", "--scheduler", "hyperband-bohb", "--trials", "4", "--max-iterations", "3", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("tunelab: warning: --scheduler hyperband-bohb announces stage budgets that --searcher random ignores: use --searcher bohb, or --scheduler hyperband\n");
    expect(JSON.parse(r.stdout).trials).toBe(4);
  });
});
