import { describe, expect, it } from "vitest";
import { fixed, fmt, formatTable, regretText } from "../../../benchmarks/stats/index.ts";

describe("table helpers", () => {
  it("fixed: fixed decimals, '-' for missing or non-finite", () => {
    expect(fixed(1.23456, 2)).toBe("1.23");
    expect(fixed(2, 3)).toBe("2.000");
    expect([fixed(undefined, 1), fixed(null, 1), fixed(Number.NaN, 1), fixed(Infinity, 1)]).toEqual(["-", "-", "-", "-"]);
  });

  it("regretText: three decimals from 0.01, exponent form below, 0 as 0.000", () => {
    expect(regretText(0.0123)).toBe("0.012");
    expect(regretText(47.5554)).toBe("47.555");
    expect(regretText(0.00123)).toBe("1.2e-3");
    expect(regretText(0)).toBe("0.000");
  });

  it("fmt: four significant digits, exponent form outside [1e-3, 1e6), '-' for non-finite", () => {
    expect(fmt(3.14159)).toBe("3.142");
    expect(fmt(2e-4)).toBe("2.00e-4");
    expect(fmt(Number.NaN)).toBe("-");
  });

  it("formatTable: a rule under the header, numbers right-aligned, text left-aligned", () => {
    expect(formatTable(["name", "value"], [["a", "1.5"], ["bb", "10"]])).toBe("name  value\n----  -----\na       1.5\nbb       10\n");
  });
});
