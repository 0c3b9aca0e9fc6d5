import { describe, expect, it } from "vitest";
import type { CellRecord, CurvePoint } from "../../../benchmarks/suites/index.ts";
import { regretAt, timeToTarget } from "../../../benchmarks/suites/report/anytime.ts";
import { suiteReport } from "../../../benchmarks/suites/report/suite-report.ts";

const curve: CurvePoint[] = [
  [10, 100, 0.8],
  [50, 600, 0.3],
  [90, 1000, 0.05],
];

function cell(method: string, benchmark: string, seed: number, points: CurvePoint[]): CellRecord {
  const last = points.at(-1) as CurvePoint;
  return {
    suite: "s", method, benchmark, seed, key: `s|${method}|${benchmark}|${seed}`, ok: true, wallSeconds: 0,
    curve: points, finalRegret: last[2], simulatedSeconds: 100, gpuSeconds: 1100, trainingGpuSeconds: 1000, trials: 3, results: 30,
  };
}

describe("anytime curves", () => {
  it("reads the incumbent's regret at a time or GPU-seconds, Infinity before the first result", () => {
    expect(regretAt(curve, 0, 5)).toBe(Number.POSITIVE_INFINITY);
    expect(regretAt(curve, 0, 10)).toBe(0.8);
    expect(regretAt(curve, 0, 89)).toBe(0.3);
    expect(regretAt(curve, 1, 700)).toBe(0.3);
    expect(regretAt(curve, 1, 1e9)).toBe(0.05);
  });

  it("finds the first time at the target", () => {
    expect(timeToTarget(curve, 0.3)).toBe(50);
    expect(timeToTarget(curve, 0.01)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("suiteReport", () => {
  // Method A beats B on each of 6 tasks by distinct margins, one seed each.
  const tasks = ["t1", "t2", "t3", "t4", "t5", "t6"];
  const records = tasks.flatMap((task, k) => [
    cell("A", task, 0, [[10, 100, 0.4 + k / 100], [100, 1000, 0.1 + k / 100]]),
    cell("B", task, 0, [[20, 200, 0.8 + k / 100], [100, 1000, 0.2 + (2 * k) / 100]]),
  ]);
  const report = suiteReport(records, { suite: "s", methods: ["A", "B"], benchmarks: tasks, seeds: 1, targetRegret: 0.16 });

  it("takes medians over tasks at fractions of each task's longest run", () => {
    expect(report.data.fractions).toEqual([0.1, 0.25, 0.5, 1]);
    // At 10% (10 s) A has its first point, B none yet.
    expect(report.data.regretVsTime["A"]?.[0]).toBeCloseTo(0.425, 12);
    expect(report.data.regretVsTime["B"]?.[0]).toBe(Number.POSITIVE_INFINITY);
    expect(report.data.regretVsTime["A"]?.[3]).toBeCloseTo(0.125, 12);
    expect(report.data.regretVsGpu["B"]?.[2]).toBeCloseTo(0.825, 12);
  });

  it("ranks A first throughout, and counts A's time to target", () => {
    expect(report.data.rankVsTime["A"]).toEqual([1, 1, 1, 1]);
    expect(report.data.rankVsTime["B"]).toEqual([2, 2, 2, 2]);
    // A ends at 0.1 + k/100 <= 0.16 on every task, at 100 s; B never gets below 0.2.
    expect(report.data.timeToTarget["A"]).toEqual({ median: 100, reached: 6, cells: 6 });
    expect(report.data.timeToTarget["B"]?.reached).toBe(0);
  });

  it("tests the pair over tasks: 6 of 6 in one direction is the exact p = 2/64", () => {
    expect(report.data.pairs).toHaveLength(1);
    const [pair] = report.data.pairs;
    expect(pair).toMatchObject({ a: "A", b: "B", tasks: 6, better: "A" });
    expect(pair?.p).toBeCloseTo(2 / 64, 15);
    expect(pair?.pHolm).toBeCloseTo(2 / 64, 15);
    expect(report.text).toMatch(/A\s+B\s+6\s+0\.0313\s+0\.0313 \*\s+A/);
  });

  it("lists failed cells and leaves them out of the figures", () => {
    const failed: CellRecord = { suite: "s", method: "A", benchmark: "t1", seed: 1, key: "s|A|t1|1", ok: false, error: "boom", wallSeconds: 0 };
    const withFailure = suiteReport([...records, failed], { suite: "s", methods: ["A", "B"], benchmarks: tasks, seeds: 2, targetRegret: 0.16 });
    expect(withFailure.data.failed).toEqual([{ key: "s|A|t1|1", error: "boom" }]);
    expect(withFailure.text).toContain("s|A|t1|1: boom");
    expect(withFailure.data.regretVsTime["A"]).toEqual(report.data.regretVsTime["A"]);
  });
});
