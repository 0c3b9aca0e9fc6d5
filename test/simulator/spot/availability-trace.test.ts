import { describe, expect, it } from "vitest";
import { AvailabilitySchedule, parseAvailabilityCsv } from "../../../simulator/spot/index.ts";

const CSV = "time,type,available,price\n0,spot8,4,8\n600,spot8,1,\n1200,spot8,3,12\n";

describe("availability traces", () => {
  it("parses time,type,available[,price] and sorts by time", () => {
    const points = parseAvailabilityCsv("f", "time,type,available\n60,a,2\n0,a,5\n");
    expect(points).toEqual([
      { time: 0, type: "a", available: 5 },
      { time: 60, type: "a", available: 2 },
    ]);
  });

  it("answers availability and price as step functions, unlimited before a type's first point", () => {
    const s = new AvailabilitySchedule(parseAvailabilityCsv("f", CSV));
    expect(s.available("spot8", 0)).toBe(4);
    expect(s.available("spot8", 599)).toBe(4);
    expect(s.available("spot8", 600)).toBe(1);
    expect(s.available("other", 600)).toBe(Number.POSITIVE_INFINITY);
    // An empty price cell keeps the last price.
    expect(s.price("spot8", 900)).toBe(8);
    expect(s.price("spot8", 1200)).toBe(12);
    // 1200 s at $8/h and 600 s at $12/h.
    expect(s.cost("spot8", 0, 1800, 99)).toBeCloseTo((1200 / 3600) * 8 + (600 / 3600) * 12, 12);
    expect(s.nextRise("spot8", 600, 1)).toBe(1200);
    expect(s.nextRise("spot8", 1200, 3)).toBeUndefined();
  });

  it("names the line and column of a bad cell, and the problem of a bad header", () => {
    expect(() => parseAvailabilityCsv("--availability-trace", "time,type,available\n0,a,2\nsoon,a,3\n")).toThrow(
      '--availability-trace line 3 column time: must be a number, got "soon"',
    );
    expect(() => parseAvailabilityCsv("f", "time,type,available\n0,a,2.5\n")).toThrow("f line 2 column available: must be an integer >= 0, got 2.5");
    expect(() => parseAvailabilityCsv("f", "time,type,available\n0,,2\n")).toThrow("f line 2 column type: must be a non-empty string");
    expect(() => parseAvailabilityCsv("f", "time,kind,available\n0,a,2\n")).toThrow('f: has no "type" column');
    expect(() => parseAvailabilityCsv("f", "time,type,available,zone\n0,a,2,x\n")).toThrow('f: has unknown column "zone"');
    expect(() => parseAvailabilityCsv("f", "  \n")).toThrow("f: is empty");
    expect(() => parseAvailabilityCsv("f", "time,type,available\n")).toThrow("f: has no points");
  });
});
