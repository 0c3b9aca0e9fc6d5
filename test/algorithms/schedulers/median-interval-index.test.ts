/**
 * IntervalMedianIndex against sorting the values of the intervals that contain
 * the time (what the median stopping rule's pass does), bit for bit: ties, −0
 * and +0, infinities, NaN, open-ended intervals, removals, and blocks small
 * enough to split and re-cut many times in one run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IntervalMedianIndex, sortsBefore } from "../../../algorithms/schedulers/median-interval-index.ts";

interface Interval {
  value: number;
  start: number;
  end: number;
  owner: number;
}

/** The pass: the values at `time`, one occurrence of `own` left out, sorted by Float64Array, numpy's median. */
function reference(intervals: readonly Interval[], time: number, own: number | undefined): { median: number | undefined; count: number } {
  const values = intervals.filter((i) => i.start <= time && !(i.end <= time)).map((i) => i.value);
  if (own !== undefined) {
    const at = values.findIndex((v) => Object.is(v, own) || (Number.isNaN(v) && Number.isNaN(own)));
    values.splice(at, 1);
  }
  if (values.length === 0) return { median: undefined, count: 0 };
  const sorted = Float64Array.from(values).sort();
  const position = 0.5 * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  const low = sorted[lower] as number;
  return { median: low + ((sorted[upper] as number) - low) * (position - lower), count: values.length };
}

const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -4, max: 4 }).map((k) => k / 2) },
  { weight: 2, arbitrary: fc.double({ noDefaultInfinity: false }) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
);
const time = fc.integer({ min: 0, max: 8 }).map((k) => (k === 0 ? -0 : k / 2));

type Op = { kind: "insert"; value: number; start: number; length: number; open: boolean } | { kind: "remove"; pick: number } | { kind: "query"; time: number; ownPick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("insert" as const), value, start: time, length: fc.integer({ min: 1, max: 6 }).map((k) => k / 2), open: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("query" as const), time: fc.oneof(time, fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0.25)), ownPick: fc.nat() }) },
);

function same(a: { median: number | undefined; count: number }, b: { median: number | undefined; count: number }): boolean {
  const bothNaN = Number.isNaN(a.median) && Number.isNaN(b.median);
  return a.count === b.count && (bothNaN || Object.is(a.median, b.median));
}

describe("IntervalMedianIndex", () => {
  it("orders values as Float64Array's sort does", () => {
    const xs = [Number.NaN, 1, -0, 0, Number.NEGATIVE_INFINITY, -1, Number.POSITIVE_INFINITY, 0, -0, Number.NaN];
    const sorted = Float64Array.from(xs).sort();
    const mine = [...xs].sort((a, b) => (sortsBefore(a, b) ? -1 : sortsBefore(b, a) ? 1 : 0));
    expect(mine.map((x) => (Object.is(x, -0) ? "-0" : String(x)))).toEqual(Array.from(sorted, (x) => (Object.is(x, -0) ? "-0" : String(x))));
  });

  it("gives the median of sorting the values at the time, bit for bit, through inserts, removals and block splits", () => {
    let queries = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 300, size: "max" }), fc.constantFrom(1, 2, 3), (ops, minBlock) => {
        const index = new IntervalMedianIndex(minBlock, 0.05);
        const live: Interval[] = [];
        let owner = 0;
        for (const o of ops) {
          if (o.kind === "insert") {
            const interval = { value: o.value, start: o.start, end: o.open ? Number.NaN : o.start + o.length, owner: owner++ };
            live.push(interval);
            index.insert(interval.value, interval.start, interval.end, interval.owner);
          } else if (o.kind === "remove") {
            if (live.length === 0) continue;
            const [gone] = live.splice(o.pick % live.length, 1) as [Interval];
            expect(index.remove(gone.value, gone.start, gone.owner)).toBe(true);
            expect(index.remove(gone.value, gone.start, gone.owner)).toBe(false);
          } else {
            const at = live.filter((i) => i.start <= o.time && !(i.end <= o.time));
            const own = at.length > 0 && o.ownPick % 3 !== 0 ? (at[o.ownPick % at.length] as Interval).value : undefined;
            const got = index.medianAt(o.time, own);
            const want = reference(live, o.time, own);
            if (!same(got, want)) throw new Error(`at ${o.time} own ${own}: got ${JSON.stringify(got)} want ${JSON.stringify(want)} (${String(got.median)} vs ${String(want.median)})`);
            queries++;
          }
          expect(index.size).toBe(live.length);
        }
      }),
      { numRuns: 300, seed: 14 },
    );
    expect(queries).toBeGreaterThan(1000);
  });

  it("keeps its answers across the re-cut when the count doubles (default block sizes)", () => {
    const index = new IntervalMedianIndex();
    const live: Interval[] = [];
    let seed = 3;
    const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let k = 0; k < 9000; k++) {
      const start = Math.floor(random() * 100);
      const interval = { value: Math.round(random() * 50) / 8, start, end: start + 1 + Math.floor(random() * 20), owner: k };
      live.push(interval);
      index.insert(interval.value, interval.start, interval.end, interval.owner);
      if (k % 500 === 499) {
        for (const t of [0, 17, 50.5, 99, 130]) expect(index.medianAt(t, undefined)).toEqual(reference(live, t, undefined));
      }
    }
    expect(index.medianAt(60, undefined).count).toBeGreaterThan(500);
  });
});
