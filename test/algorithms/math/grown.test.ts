import { describe, expect, it } from "vitest";
import { float64s, grown } from "../../../algorithms/math/grown.ts";

describe("grown", () => {
  it("returns the same array while it is long enough, else a copy at least double the length whose new entries come from make", () => {
    const small = Float64Array.of(1, 2, 3);
    expect(grown(small, 3, float64s)).toBe(small);
    const bigger = grown(small, 4, (size) => new Float64Array(size).fill(Number.NaN));
    expect(bigger.length).toBe(64);
    expect(Array.from(bigger.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(bigger[3]).toBeNaN();
    const big = grown(new Int32Array(100), 101, (size) => new Int32Array(size));
    expect(big.length).toBe(200);
    expect(grown(new Uint8Array(10), 500, (size) => new Uint8Array(size)).length).toBe(500);
  });
});
