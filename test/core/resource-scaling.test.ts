import { describe, expect, it } from "vitest";
import { checkResourceScaling, parseResourceScaling, speedupFor, stepTimeFactor, workersOf } from "../../core/resource-scaling.ts";

describe("resource scaling (how step time depends on resources)", () => {
  it("Amdahl: 1 / ((1 - p) + p / n), exactly 1 at one worker and below", () => {
    const amdahl = { kind: "amdahl", parallelFraction: 0.9 } as const;
    expect(speedupFor(amdahl, 2)).toBeCloseTo(1 / 0.55, 12);
    expect(speedupFor(amdahl, 8)).toBeCloseTo(1 / (0.1 + 0.9 / 8), 12);
    expect(speedupFor(amdahl, 1)).toBe(1);
    expect(speedupFor(amdahl, 0.5)).toBe(1);
    expect(speedupFor({ kind: "amdahl", parallelFraction: 1 }, 4)).toBe(4);
    expect(speedupFor({ kind: "amdahl", parallelFraction: 0 }, 4)).toBe(1);
  });

  it("table: linear between entries, held at the ends", () => {
    const table = { kind: "table", speedup: { "4": 3, "1": 1, "2": 1.8 } } as const;
    expect(speedupFor(table, 3)).toBeCloseTo(2.4, 12);
    expect(speedupFor(table, 0.5)).toBe(1);
    expect(speedupFor(table, 16)).toBe(3);
  });

  it("scales GPUs for a GPU trial and CPUs for a CPU-only one; no declaration, no change", () => {
    expect(workersOf({ cpu: 8, gpu: 2 })).toBe(2);
    expect(workersOf({ cpu: 8, gpu: 0 })).toBe(8);
    expect(stepTimeFactor(undefined, { cpu: 1, gpu: 8 })).toBe(1);
    expect(stepTimeFactor({ kind: "amdahl", parallelFraction: 0.5 }, { cpu: 2, gpu: 0 })).toBeCloseTo(0.75, 12);
  });

  it("refuses bad declarations in one line naming the field", () => {
    expect(() => checkResourceScaling("objective.resourceScaling", { kind: "amdahl", parallelFraction: 1.5 })).toThrow(
      "objective.resourceScaling.parallelFraction: must be a finite number >= 0 and <= 1, got 1.5",
    );
    expect(() => checkResourceScaling("s", { kind: "linear" })).toThrow(/s\.kind: got unknown name "linear"; known: amdahl, table/);
    expect(() => checkResourceScaling("s", { kind: "table", speedup: {} })).toThrow(/s\.speedup: must be a non-empty object/);
    expect(() => checkResourceScaling("s", { kind: "table", speedup: { "0": 1 } })).toThrow(/keys must be worker counts > 0/);
    expect(() => checkResourceScaling("s", { kind: "table", speedup: { "2": -1 } })).toThrow(/s\.speedup\["2"\]: must be a finite number > 0/);
  });

  it("parses the CLI's text forms", () => {
    expect(parseResourceScaling("--resource-scaling", "amdahl:0.95")).toEqual({ kind: "amdahl", parallelFraction: 0.95 });
    expect(parseResourceScaling("--resource-scaling", "table:1=1,2=1.9")).toEqual({ kind: "table", speedup: { "1": 1, "2": 1.9 } });
    expect(() => parseResourceScaling("--resource-scaling", "amdahl:")).toThrow(/--resource-scaling\.parallelFraction: must be a finite number/);
    expect(() => parseResourceScaling("--resource-scaling", "fast")).toThrow(/--resource-scaling: must be "amdahl:P"/);
  });
});
