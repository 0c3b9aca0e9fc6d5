/**
 * Binary min-heap of simulation events ordered by (time, sequence). The
 * sequence number breaks ties in insertion order, so two events at the same
 * virtual time always pop in the same order (determinism). Cancellation is lazy:
 * events carry a generation stamp that the consumer checks when popping.
 */
export interface SimEvent {
  time: number;
  seq: number;
  kind: number;
  /** Index of the trial run or node the event concerns. */
  target: number;
  /** Generation of the target when scheduled; stale when it differs at pop time. */
  generation: number;
}

export class EventHeap {
  private readonly items: SimEvent[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  push(time: number, kind: number, target: number, generation: number): void {
    const event: SimEvent = { time, seq: this.nextSeq++, kind, target, generation };
    const items = this.items;
    let i = items.length;
    items.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as SimEvent;
      if (!before(event, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = event;
  }

  pop(): SimEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(items[right] as SimEvent, items[left] as SimEvent)) child = right;
      const c = items[child] as SimEvent;
      if (!before(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }

  /** The queue as plain data: the heap array as it is (so events pop in the same order) and the next sequence number. */
  save(): { items: Array<[number, number, number, number, number]>; nextSeq: number } {
    return { items: this.items.map((e) => [e.time, e.seq, e.kind, e.target, e.generation]), nextSeq: this.nextSeq };
  }

  /** Back from `save()`, replacing what the heap held. */
  restore(saved: { items: ReadonlyArray<readonly [number, number, number, number, number]>; nextSeq: number }): void {
    this.items.length = 0;
    for (const [time, seq, kind, target, generation] of saved.items) this.items.push({ time, seq, kind, target, generation });
    this.nextSeq = saved.nextSeq;
  }

  peekTime(): number {
    return this.items[0]?.time ?? Number.POSITIVE_INFINITY;
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
