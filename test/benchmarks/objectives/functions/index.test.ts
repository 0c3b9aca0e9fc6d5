import { describe, expect, it } from "vitest";
import { branin, hartmann3, hartmann6, rosenbrock } from "../../../../benchmarks/objectives/functions/index.ts";
import type { SyntheticFunction } from "../../../../benchmarks/objectives/functions/index.ts";
import { seededStream } from "../_seeded-stream.ts";

const cases: SyntheticFunction[] = [branin, hartmann3, hartmann6, rosenbrock(2), rosenbrock(4), rosenbrock(7)];

describe.each(cases.map((fn) => [fn.name, fn] as const))("%s", (_name, fn) => {
  it("has consistent dimension, bounds and minimisers", () => {
    expect(fn.bounds).toHaveLength(fn.dimension);
    for (const [low, high] of fn.bounds) expect(low).toBeLessThan(high);
    expect(fn.minimisers.length).toBeGreaterThan(0);
    for (const m of fn.minimisers) {
      expect(m).toHaveLength(fn.dimension);
      m.forEach((v, i) => {
        const [low, high] = fn.bounds[i] as readonly [number, number];
        expect(v).toBeGreaterThanOrEqual(low);
        expect(v).toBeLessThanOrEqual(high);
      });
    }
  });

  it("reaches the published optimum at every published minimiser (to 1e-5)", () => {
    for (const m of fn.minimisers) {
      expect(Math.abs(fn.evaluate(m) - fn.optimum)).toBeLessThanOrEqual(1e-5);
      expect(Math.abs(fn.evaluate(Float64Array.from(m)) - fn.optimum)).toBeLessThanOrEqual(1e-5);
    }
  });

  it("is never below the optimum at random points in the bounds", () => {
    const rng = seededStream(20240611);
    const x = new Float64Array(fn.dimension);
    for (let n = 0; n < 2000; n++) {
      fn.bounds.forEach(([low, high], i) => (x[i] = low + (high - low) * rng.next()));
      const value = fn.evaluate(x);
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(fn.optimum - 1e-12);
    }
  });
});

describe("published values", () => {
  it("Branin matches a hand-computed value at the origin", () => {
    // (0 - 0 + 0 - 6)^2 + 10 (1 - 1/(8 pi)) cos 0 + 10
    expect(branin.evaluate([0, 0])).toBeCloseTo(36 + 10 * (1 - 1 / (8 * Math.PI)) + 10, 12);
  });

  it("Rosenbrock is 0 only at ones and matches the closed form elsewhere", () => {
    expect(rosenbrock(4).evaluate([1, 1, 1, 1])).toBe(0);
    // 100 (x2 - x1^2)^2 + (1 - x1)^2 at (0, 0) = 1 per pair
    expect(rosenbrock(3).evaluate([0, 0, 0])).toBe(2);
    expect(rosenbrock(4).name).toBe("rosenbrock4");
  });

  it("Hartmann minima are the lowest of nearby perturbations", () => {
    for (const fn of [hartmann3, hartmann6]) {
      const m = fn.minimisers[0] as readonly number[];
      for (let i = 0; i < fn.dimension; i++) {
        for (const delta of [-1e-3, 1e-3]) {
          const x = [...m];
          x[i] = (x[i] as number) + delta;
          expect(fn.evaluate(x)).toBeGreaterThan(fn.optimum);
        }
      }
    }
  });

  it("rejects a Rosenbrock dimension below 2, naming the option", () => {
    expect(() => rosenbrock(1)).toThrow(/rosenbrock\.dimension/);
    expect(() => rosenbrock(2.5)).toThrow(/rosenbrock\.dimension/);
  });
});
