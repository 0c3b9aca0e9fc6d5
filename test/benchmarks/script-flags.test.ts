import { describe, expect, it } from "vitest";
import { numberFlag, numberListFlag } from "../../benchmarks/script-flags.ts";

describe("numberFlag / numberListFlag", () => {
  it("give the fallback when absent and the checked number when present", () => {
    expect(numberFlag("seeds", undefined, 10, { integer: true, min: 1 })).toBe(10);
    expect(numberFlag("seeds", "3", 10, { integer: true, min: 1 })).toBe(3);
    expect(numberListFlag("scan", "0.02,0.1", { above: 0 })).toEqual([0.02, 0.1]);
    expect(numberListFlag("scan", undefined)).toBeUndefined();
  });

  it("name the flag in one line for a bad value instead of running on with NaN", () => {
    expect(() => numberFlag("seeds", "ten", 10, { integer: true, min: 1 })).toThrow(/^--seeds: must be .*got "ten"$/);
    expect(() => numberListFlag("scan", "0.1,x", { above: 0 })).toThrow(/^--scan: must be .*got "x"$/);
  });
});
