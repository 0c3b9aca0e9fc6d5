import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { pb2TrainingData, type Pb2Row } from "../../../algorithms/schedulers/pb2/pb2-data.ts";
import { Pb2DataIndex } from "../../../algorithms/schedulers/pb2/pb2-data-index.ts";

/** Rows with few trials, times, configs and rewards, so groups, equal times, zero gaps and out-of-order times are common. */
const rowArb = fc.record({
  trialId: fc.constantFrom("a", "b", "c"),
  time: fc.constantFrom(0, -0, 1, 2, 2.5, 3, 10),
  values: fc.constantFrom([0.1, 1], [0.2, 1], [0.1, 2], [-0, 1], [0, 1]),
  reward: fc.constantFrom(-1, 0, 0.5, 1, 3, 1e-300, -7.25),
});

function expectSame(index: Pb2DataIndex, rows: readonly Pb2Row[], maxRows: number): void {
  for (const donor of ["a", "b", "c", "none"]) {
    const expected = pb2TrainingData(rows, donor, maxRows);
    const actual = index.trainingData(donor);
    expect(actual.n).toBe(expected.n);
    expect(Array.from(actual.x)).toEqual(Array.from(expected.x));
    expect(Array.from(actual.y)).toEqual(Array.from(expected.y));
    expect(actual.donorPoint).toEqual(expected.donorPoint);
  }
}

describe("Pb2DataIndex", () => {
  it("gives pb2TrainingData's rows, bit for bit, after every row (any arrival order, ties, zero gaps, short windows)", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), fc.integer({ min: 1, max: 12 }), (rows, maxRows) => {
        const index = new Pb2DataIndex(maxRows);
        const seen: Pb2Row[] = [];
        for (const row of rows) {
          index.add(row);
          seen.push(row);
          expectSame(index, seen, maxRows);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("falls back to the batch function after a non-finite time, and still agrees", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 15 }), fc.constantFrom(Infinity, -Infinity, NaN), fc.array(rowArb, { maxLength: 15 }), (head, odd, tail) => {
        const rows = [...head, { trialId: "a", time: odd, values: [0.1, 1], reward: 1 }, ...tail];
        const index = new Pb2DataIndex(5);
        rows.forEach((row) => index.add(row));
        expectSame(index, rows, 5);
      }),
      { numRuns: 100 },
    );
  });

  it("finds a predecessor that arrived later but sits earlier in time (the successor's gap and y change)", () => {
    const index = new Pb2DataIndex();
    index.add({ trialId: "a", time: 0, values: [1], reward: 0 });
    index.add({ trialId: "a", time: 10, values: [1], reward: 10 });
    expect(Array.from(index.trainingData("a").y)).toEqual([1]);
    index.add({ trialId: "a", time: 8, values: [1], reward: 2 });
    const data = index.trainingData("a");
    // Rows at 8 (from 0: 2 / 8) and 10 (now from 8: 8 / 2).
    expect(Array.from(data.y)).toEqual([0.25, 4]);
    expect(data.donorPoint).toEqual({ time: 10, rewardBefore: 2, reward: 10 });
  });
});
