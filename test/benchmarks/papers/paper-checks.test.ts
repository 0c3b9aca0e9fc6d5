import { describe, expect, it } from "vitest";
import { formatPaperChecks } from "../../../cli/check-command.ts";
import { PAPER_CHECKS, runPaperChecks } from "../../../benchmarks/papers/index.ts";
import { passes, type PaperCheck } from "../../../benchmarks/papers/paper-check.ts";
import { pb2Checks } from "../../../benchmarks/papers/pb2-rl-return.ts";

describe("paper checks", () => {
  it("HyperBand Table 1: 5 brackets, the paper's n_i and r_i, 143 configurations, 1,902 budget units, and a simulated band that realises it", () => {
    const outcomes = runPaperChecks({ groups: ["hyperband"] });
    expect(outcomes.map((o) => [o.id, o.ours, o.pass])).toEqual([
      ["hyperband.brackets", 5, true],
      ["hyperband.table", "81@1 27@3 9@9 3@27 1@81 | 34@3 11@9 3@27 1@81 | 15@9 5@27 1@81 | 8@27 2@81 | 5@81", true],
      ["hyperband.configurations", 143, true],
      ["hyperband.budget", 1902, true],
      ["hyperband.simulated", "81@1 27@3 9@9 3@27 1@81 | 34@3 11@9 3@27 1@81 | 15@9 5@27 1@81 | 8@27 2@81 | 5@81", true],
    ]);
  });

  it("PBT toy: grid 0.3897 after 200 steps; PBT above 1.1 on every one of 10 seeds", () => {
    const [grid, pbt] = runPaperChecks({ groups: ["pbt-toy"] });
    expect(grid!.ours).toBe(0.3897);
    expect(grid!.pass).toBe(true);
    expect(pbt!.ours as number).toBeGreaterThan(1.1);
    expect(pbt!.pass).toBe(true);
  });

  it("ASHA: first config at R = 81 exactly on an idle cluster with resume; speed-up at least 0.75 k on 4, 16, 64 GPUs", { timeout: 120_000 }, () => {
    const outcomes = runPaperChecks({ groups: ["asha"] });
    expect(outcomes[0]).toMatchObject({ id: "asha.first-at-R", ours: 81, pass: true });
    const speedups = outcomes.slice(1).map((o) => o.ours as number);
    expect(speedups[0]).toBeGreaterThan(3);
    expect(speedups[2]).toBeGreaterThan(48);
    expect(outcomes.every((o) => o.pass)).toBe(true);
  });

  it("BOHB on counting ones: below HyperBand and random at half and full time; HyperBand ahead of random early (2 seeds here, 5 in the CLI)", { timeout: 180_000 }, () => {
    const outcomes = runPaperChecks({ groups: ["bohb"], seeds: 2 });
    expect(outcomes.map((o) => o.id)).toEqual(["bohb.at-0.5", "bohb.at-1", "bohb.early-shape"]);
    for (const o of outcomes) expect(o.pass, `${o.id}: ${o.ours}`).toBe(true);
  });

  it("PB2's rule: fails only when PB2's median is lower and the rank test is significant", () => {
    const check = pb2Checks[0]!;
    const judge = (pb2Median: number, pbtMedian: number, p: number) => passes(check as PaperCheck, check.ours({ seeds: 100, pb2Median, pbtMedian, p }));
    expect(judge(400, 450, 0.01)).toBe(false);
    expect(judge(400, 450, 0.2)).toBe(true);
    expect(judge(460, 450, 0.001)).toBe(true);
  });

  it("fails a check whose number is off, and the table says FAIL", () => {
    const budget = PAPER_CHECKS.find((c) => c.id === "hyperband.budget")!;
    expect(passes(budget, { value: 1901 })).toBe(false);
    const text = formatPaperChecks([{ id: "x", paper: "P", quantity: "q", paperValue: 1902, ours: 1901, rule: "equal", pass: false, seconds: 0.1 }]);
    expect(text).toMatch(/q\s+1902\s+1901\s+equal\s+FAIL/);
    expect(text).toMatch(/0\/1 checks pass/);
  });

  it("every check has a unique id and a measurement", () => {
    expect(new Set(PAPER_CHECKS.map((c) => c.id)).size).toBe(PAPER_CHECKS.length);
  });
});
