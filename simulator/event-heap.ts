/**
 * Binary min-heap of simulation events ordered by (time, sequence). The
 * sequence number breaks ties in insertion order, so two events at the same
 * virtual time always pop in the same order (determinism). Cancellation is lazy:
 * events carry a generation stamp that the consumer checks when popping.
 *
 * Stored as parallel typed arrays (one column per field), not an object per
 * event: at 10,000 concurrent trials the heap is popped and pushed once per
 * result, and objects meant an allocation per event and a pointer chase per
 * comparison (issue 14: FIFO's rate fell with the cluster size). The layout of
 * the heap (which event sits where) is the one the object heap had, so `save()`
 * is unchanged.
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
  private times: Float64Array = new Float64Array(64);
  private seqs: Float64Array = new Float64Array(64);
  private kinds: Int32Array = new Int32Array(64);
  private targets: Int32Array = new Int32Array(64);
  private generations: Float64Array = new Float64Array(64);
  private count = 0;
  private nextSeq = 0;
  /** The event `popInto` took off last. */
  readonly last: SimEvent = { time: 0, seq: 0, kind: 0, target: 0, generation: 0 };

  get size(): number {
    return this.count;
  }

  push(time: number, kind: number, target: number, generation: number): void {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (!(time < pt || (time === pt && seq < (seqs[parent] as number)))) break;
      this.move(parent, i);
      i = parent;
    }
    this.put(i, time, seq, kind, target, generation);
  }

  /** Takes the first event off into `last` (no allocation); false when the heap is empty. */
  popInto(): boolean {
    const n = this.count;
    if (n === 0) return false;
    const last = this.last;
    last.time = this.times[0] as number;
    last.seq = this.seqs[0] as number;
    last.kind = this.kinds[0] as number;
    last.target = this.targets[0] as number;
    last.generation = this.generations[0] as number;
    const end = n - 1;
    this.count = end;
    if (end === 0) return true;
    // Sift the last entry down from the root, as the object heap did.
    const times = this.times;
    const seqs = this.seqs;
    const t = times[end] as number;
    const s = seqs[end] as number;
    const kind = this.kinds[end] as number;
    const target = this.targets[end] as number;
    const generation = this.generations[end] as number;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= end) break;
      const right = left + 1;
      let child = left;
      if (right < end) {
        const rt = times[right] as number;
        const lt = times[left] as number;
        if (rt < lt || (rt === lt && (seqs[right] as number) < (seqs[left] as number))) child = right;
      }
      const ct = times[child] as number;
      if (!(ct < t || (ct === t && (seqs[child] as number) < s))) break;
      this.move(child, i);
      i = child;
    }
    this.put(i, t, s, kind, target, generation);
    return true;
  }

  /** The first event, as a new object (callers on the hot path use `popInto`). */
  pop(): SimEvent | undefined {
    if (!this.popInto()) return undefined;
    return { ...this.last };
  }

  /** The queue as plain data: the heap array as it is (so events pop in the same order) and the next sequence number. */
  save(): { items: Array<[number, number, number, number, number]>; nextSeq: number } {
    const items: Array<[number, number, number, number, number]> = [];
    for (let i = 0; i < this.count; i++) {
      items.push([this.times[i] as number, this.seqs[i] as number, this.kinds[i] as number, this.targets[i] as number, this.generations[i] as number]);
    }
    return { items, nextSeq: this.nextSeq };
  }

  /** Back from `save()`, replacing what the heap held. */
  restore(saved: { items: ReadonlyArray<readonly [number, number, number, number, number]>; nextSeq: number }): void {
    this.count = 0;
    for (const [time, seq, kind, target, generation] of saved.items) {
      if (this.count === this.times.length) this.grow();
      this.put(this.count++, time, seq, kind, target, generation);
    }
    this.nextSeq = saved.nextSeq;
  }

  peekTime(): number {
    return this.count === 0 ? Number.POSITIVE_INFINITY : (this.times[0] as number);
  }

  private put(i: number, time: number, seq: number, kind: number, target: number, generation: number): void {
    this.times[i] = time;
    this.seqs[i] = seq;
    this.kinds[i] = kind;
    this.targets[i] = target;
    this.generations[i] = generation;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from] as number;
    this.seqs[to] = this.seqs[from] as number;
    this.kinds[to] = this.kinds[from] as number;
    this.targets[to] = this.targets[from] as number;
    this.generations[to] = this.generations[from] as number;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const f = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const g = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.times = f(this.times);
    this.seqs = f(this.seqs);
    this.generations = f(this.generations);
    this.kinds = g(this.kinds);
    this.targets = g(this.targets);
  }
}
