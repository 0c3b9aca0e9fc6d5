import { describe, expect, it } from "vitest";
import { Rng } from "../../../core/rng.ts";
import { exponentialSeconds, HOURS_PER_MONTH, ratePerHourFromMonthly, SPOT_ADVISOR_BUCKETS } from "../../../simulator/spot/index.ts";

describe("Poisson preemption calibrated from a monthly interruption frequency", () => {
  it("is lambda = -ln(1 - p) / 730 per hour", () => {
    expect(ratePerHourFromMonthly("p", 0.05)).toBeCloseTo(-Math.log(0.95) / 730, 15);
    expect(ratePerHourFromMonthly("p", 0)).toBe(0);
    // The bucket midpoints, increasing.
    const rates = SPOT_ADVISOR_BUCKETS.map((b) => ratePerHourFromMonthly("p", b.monthly));
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    expect(SPOT_ADVISOR_BUCKETS.map((b) => b.label)).toEqual(["<5%", "5-10%", "10-15%", "15-20%", ">20%"]);
  });

  it("interrupts a node within a month with probability p (20,000 draws)", () => {
    const rng = new Rng("poisson-test");
    for (const p of [0.05, 0.2]) {
      const rate = ratePerHourFromMonthly("p", p);
      let within = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) if (exponentialSeconds(rng, rate) < HOURS_PER_MONTH * 3600) within++;
      // Binomial standard error at p = 0.2 is 0.0028: 4 of them.
      expect(Math.abs(within / n - p)).toBeLessThan(0.012);
    }
  });

  it("refuses a frequency outside [0, 0.999] with the field named", () => {
    expect(() => ratePerHourFromMonthly("cluster.interruptionFrequency", 1)).toThrow("cluster.interruptionFrequency: must be a finite number >= 0 and <= 0.999, got 1");
    expect(() => ratePerHourFromMonthly("x", -0.1)).toThrow("x: must be");
  });
});
