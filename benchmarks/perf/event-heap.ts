/**
 * The simulator's event heap alone (issue 14, placement at 10,000 GPUs): CPU ns
 * per pop + push with N events in flight (about one per running trial), the
 * simulator's pattern (pop the first, push one a step later), and the growth
 * from 256 in flight, same process. It answers whether the heap is what makes
 * FIFO slower on a big cluster (docs/architecture/scale-sim.md: it is a small part).
 * Prints `name=value` lines.
 *
 *   npx tsx benchmarks/perf/event-heap.ts
 */
import { EventHeap } from "../../simulator/event-heap.ts";
import { rngFor } from "../../core/rng.ts";

type Heap = Pick<EventHeap, "push" | "popInto" | "last">;

function nsPerEvent(make: () => Heap, inFlight: number, events: number): number {
  const heap = make();
  const rng = rngFor(1, "event-heap-bench");
  for (let i = 0; i < inFlight; i++) heap.push(1 + 2 * rng.next(), 0, i, 0);
  const c0 = process.cpuUsage();
  for (let i = 0; i < events; i++) {
    heap.popInto();
    const e = heap.last;
    // Step times of 1 to 3 s, as the Hartmann6 learning curves of benchmarks/perf/scale.ts.
    heap.push(e.time + 1 + 2 * rng.next(), e.kind, e.target, e.generation);
  }
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / events;
}

const round = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));
const median = (xs: number[]): number => xs.sort((a, b) => a - b)[1] as number;
const events = 2_000_000;
let small: number | undefined;
for (const inFlight of [256, 10_000, 100_000]) {
  // Warm-up, then the median of three.
  nsPerEvent(() => new EventHeap(), inFlight, events / 4);
  const ns = median([0, 1, 2].map(() => nsPerEvent(() => new EventHeap(), inFlight, events)));
  small ??= ns;
  console.log(`event_heap.in_flight_${inFlight}.cpu_ns_per_event=${round(ns)}`);
  console.log(`event_heap.in_flight_${inFlight}.growth_vs_256=${round(ns / small)}`);
}
