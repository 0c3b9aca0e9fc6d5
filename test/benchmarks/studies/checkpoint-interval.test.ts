import { describe, expect, it } from "vitest";
import { dalyInterval, optimumOf, youngInterval, type ScenarioResult } from "../../../benchmarks/studies/checkpoint-interval.ts";

describe("study 2 helpers (checkpoint interval)", () => {
  it("Young's sqrt(2CM) and Daly's higher-order optimum", () => {
    expect(youngInterval(10, 3600)).toBeCloseTo(Math.sqrt(72_000), 9);
    // Daly: sqrt(2CM) (1 + sqrt(C/2M)/3 + C/(18M)) - C; close to Young when C << M, below it as C grows.
    const r = 60 / 7200;
    expect(dalyInterval(60, 3600)).toBeCloseTo(Math.sqrt(432_000) * (1 + Math.sqrt(r) / 3 + r / 9) - 60, 9);
    expect(dalyInterval(1, 1e6) / youngInterval(1, 1e6)).toBeCloseTo(1, 2);
    expect(dalyInterval(5000, 1000)).toBe(1000);
  });

  it("finds the minimum of the mean wall-time curve between grid points", () => {
    // Expected time of Young's first-order model, W (1 + C/tau + tau/(2M)): minimum at sqrt(2CM) = 268.3 s.
    const taus = [100, 150, 200, 250, 300, 400, 600];
    const model = (tau: number) => 1e5 * (1 + 10 / tau + tau / 7200);
    const result: ScenarioResult = {
      scenario: { name: "t", checkpointSeconds: 10, mtbfSeconds: 3600, note: "" },
      young: youngInterval(10, 3600),
      daly: dalyInterval(10, 3600),
      taus,
      wall: taus.map((t) => [model(t), model(t)]),
      work: 1e5,
    };
    const o = optimumOf(result, [0, 1]);
    expect(o.atEdge).toBe(false);
    expect(Math.abs(o.tau / youngInterval(10, 3600) - 1)).toBeLessThan(0.05);
  });
});
