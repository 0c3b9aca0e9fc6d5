import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventHeap } from "../../simulator/event-heap.ts";

describe("EventHeap", () => {
  it("pops by time, then by insertion order for equal times", () => {
    const heap = new EventHeap();
    heap.push(5, 0, 1, 0);
    heap.push(1, 0, 2, 0);
    heap.push(5, 0, 3, 0);
    heap.push(1, 0, 4, 0);
    const order = [];
    for (let e = heap.pop(); e; e = heap.pop()) order.push(e.target);
    expect(order).toEqual([2, 4, 1, 3]);
  });

  it("(property) pops every pushed event in (time, sequence) order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const heap = new EventHeap();
        times.forEach((t, i) => heap.push(t, 0, i, 0));
        const popped: Array<[number, number]> = [];
        for (let e = heap.pop(); e; e = heap.pop()) popped.push([e.time, e.target]);
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(popped).toEqual(expected);
      }),
    );
  });
});
