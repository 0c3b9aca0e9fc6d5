import { describe, expect, it } from "vitest";
import { Rng } from "../../../core/rng.ts";
import { checkLaunchDelay, DEFAULT_LAUNCH_DELAY, sampleLaunchDelay } from "../../../simulator/spot/index.ts";

describe("launch delays", () => {
  it("defaults to a lognormal with median 120 s", () => {
    const rng = new Rng("launch");
    const draws = Array.from({ length: 4001 }, () => sampleLaunchDelay(DEFAULT_LAUNCH_DELAY, rng)).sort((a, b) => a - b);
    expect(draws[2000]!).toBeGreaterThan(114);
    expect(draws[2000]!).toBeLessThan(126);
    // sigma 0.3: the 5% quantile near 120 e^-0.49 = 73 s, the 95% near 197 s.
    expect(draws[200]!).toBeGreaterThan(65);
    expect(draws[3800]!).toBeLessThan(215);
  });

  it("is exact when fixed, and refuses a bad distribution naming the field", () => {
    expect(sampleLaunchDelay({ kind: "fixed", seconds: 30 }, new Rng("x"))).toBe(30);
    expect(() => checkLaunchDelay("t.launchDelay", { kind: "gamma" } as never)).toThrow('t.launchDelay.kind: got unknown name "gamma"; known: fixed, lognormal');
    expect(() => checkLaunchDelay("t.launchDelay", { kind: "fixed", seconds: -1 })).toThrow("t.launchDelay.seconds: must be a finite number >= 0, got -1");
  });
});
