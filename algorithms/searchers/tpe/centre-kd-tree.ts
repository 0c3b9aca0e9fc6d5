/**
 * A k-d tree over the centres of multivariate TPE's joint kernels: one point per trial (its
 * values of a block of continuous parameters), kept by the searcher across suggestions
 * (issue 14). Centres never move and trials are only added, so each new trial is one
 * insertion; the bad group, which changes every suggestion, is laid over the tree as a
 * membership (`setMembers`): per node, how many of its points are current components and
 * the largest log weight among them. `multivariate-bounds.ts` walks the tree to bound a
 * candidate's density, skipping whole nodes by their bounding boxes.
 *
 * Layout (read by the bounds' traversal, written only here): points by slot (insertion
 * order), nodes in flat typed arrays; a leaf (left = -1) holds up to LEAF_SIZE slots (more
 * only when they all coincide). Each node's box is the tight bounding box of its points.
 * Leaves split at a median of their widest dimension when full, and a subtree whose larger
 * child holds more than ALPHA of its points is rebuilt balanced (a scapegoat rule), so the
 * depth stays logarithmic whatever order the trials come in, at O(log^2 n) amortised per
 * insertion.
 *
 * No npm k-d tree fits: kdbush is static and 2-D, static-kdtree is static, and
 * kd-tree-javascript keeps object nodes without rebalancing or per-node aggregates; the
 * bounds need a pruned sum over nodes with counts and weights of a changing member set.
 */
export const LEAF_SIZE = 16;
/** Cells per dimension of a grid over the bounds; each point's cell index is kept (`cells`) for bounds that vary slowly with the centre. */
export const CELLS = 64;
const ALPHA = 0.75;
/** Slot states of a trial position: not a point (its block is inactive), or a point outside the bounds. */
export const ABSENT = -1;
export const OUTSIDE = -2;

export class CentreKdTree {
  readonly d: number;
  readonly lows: Float64Array;
  readonly highs: Float64Array;
  /** Trial positions seen so far (points or not): positions 0..seen-1. */
  seen = 0;
  /** Points: coordinates by slot (slot * d + p) and each slot's trial position. */
  size = 0;
  coords: Float64Array;
  /** Each coordinate's grid cell, floor((v - low) CELLS / range) clamped to 0..CELLS-1 (slot * d + p). */
  cells: Uint8Array;
  positions: Int32Array;
  /** Per trial position: its slot, ABSENT or OUTSIDE. */
  slotOfPosition: Int32Array;
  /** Positions seen with a centre outside the bounds (or not finite): the bounds decline if one is a member. */
  readonly outside: number[] = [];
  root = -1;
  /** Nodes: children (-1, -1 for a leaf), split (left iff x[dim] <= value), box, points below. */
  left: Int32Array;
  right: Int32Array;
  splitDim: Int32Array;
  splitValue: Float64Array;
  boxLow: Float64Array;
  boxHigh: Float64Array;
  total: Int32Array;
  /** Points below each node when it was last built: a node is rebuilt again only after growing by a quarter (coincident points can keep a node unbalanced). */
  builtTotal: Int32Array;
  /** A leaf's slots (first leafLength[node] entries). */
  leafSlots: Array<Int32Array | undefined> = [];
  leafLength: Int32Array;
  /** Per suggestion (`setMembers`): each slot's component index (-1: not a member), each node's member count and largest member value (an upper bound on its score's offset). */
  componentOfSlot: Int32Array;
  members: Int32Array;
  maxUpper: Float64Array;
  /** Counts `setMembers` calls: bounds made for one membership refuse to run on another. */
  generation = 0;
  private nodeCount = 0;
  private readonly freeNodes: number[] = [];
  private readonly path: number[] = [];

  constructor(lows: readonly number[], highs: readonly number[]) {
    this.d = lows.length;
    this.lows = Float64Array.from(lows);
    this.highs = Float64Array.from(highs);
    this.coords = new Float64Array(64 * this.d);
    this.cells = new Uint8Array(64 * this.d);
    this.positions = new Int32Array(64);
    this.componentOfSlot = new Int32Array(64);
    this.slotOfPosition = new Int32Array(64);
    this.left = new Int32Array(16);
    this.right = new Int32Array(16);
    this.splitDim = new Int32Array(16);
    this.splitValue = new Float64Array(16);
    this.boxLow = new Float64Array(16 * this.d);
    this.boxHigh = new Float64Array(16 * this.d);
    this.total = new Int32Array(16);
    this.builtTotal = new Int32Array(16);
    this.leafLength = new Int32Array(16);
    this.members = new Int32Array(16);
    this.maxUpper = new Float64Array(16);
  }

  /**
   * Adds trial positions seen..count-1 from the block's per-trial columns (NaN in the first:
   * the block is inactive there, not a point).
   */
  extend(columns: readonly Float64Array[], count: number): void {
    const d = this.d;
    const point = new Float64Array(d);
    // Many at once (a restored history): stored first and built balanced in one go.
    const bulk = count - this.seen > Math.max(4 * LEAF_SIZE, this.size);
    for (let position = this.seen; position < count; position++) {
      if (position >= this.slotOfPosition.length) this.slotOfPosition = grow(this.slotOfPosition, position + 1);
      if (Number.isNaN((columns[0] as Float64Array)[position] as number)) {
        this.slotOfPosition[position] = ABSENT;
        continue;
      }
      let inside = true;
      for (let p = 0; p < d; p++) {
        const v = (columns[p] as Float64Array)[position] as number;
        point[p] = v;
        if (!(v >= (this.lows[p] as number) && v <= (this.highs[p] as number))) inside = false;
      }
      if (!inside) {
        this.slotOfPosition[position] = OUTSIDE;
        this.outside.push(position);
        continue;
      }
      this.slotOfPosition[position] = this.size;
      const slot = this.store(position, point);
      if (!bulk) this.place(slot, point);
    }
    this.seen = Math.max(this.seen, count);
    if (bulk && this.size > 0) {
      this.nodeCount = 0;
      this.freeNodes.length = 0;
      this.leafSlots = [];
      this.root = this.allocate();
      this.build(this.root, Int32Array.from({ length: this.size }, (_, i) => i), 0, this.size);
    }
  }

  /** Whether `node` is a leaf. */
  isLeaf(node: number): boolean {
    return (this.left[node] as number) < 0;
  }

  /**
   * Lays the bad group over the tree: `slots[c]` is component c's slot, `uppers[c]` a value
   * per component whose maximum each node keeps. Other points count as absent until the next call.
   */
  setMembers(slots: Int32Array, count: number, uppers: Float64Array): void {
    if (this.componentOfSlot.length < this.size) this.componentOfSlot = new Int32Array(this.coords.length / this.d);
    if (this.members.length < this.left.length) {
      this.members = new Int32Array(this.left.length);
      this.maxUpper = new Float64Array(this.left.length);
    }
    this.generation++;
    this.componentOfSlot.fill(-1, 0, this.size);
    for (let c = 0; c < count; c++) this.componentOfSlot[slots[c] as number] = c;
    if (this.root >= 0) this.aggregate(this.root, uppers);
  }

  private aggregate(node: number, uppers: Float64Array): void {
    let count = 0;
    let most = -Infinity;
    const left = this.left[node] as number;
    if (left < 0) {
      const slots = this.leafSlots[node] as Int32Array;
      const length = this.leafLength[node] as number;
      for (let i = 0; i < length; i++) {
        const c = this.componentOfSlot[slots[i] as number] as number;
        if (c < 0) continue;
        count++;
        const w = uppers[c] as number;
        if (w > most) most = w;
      }
    } else {
      const right = this.right[node] as number;
      this.aggregate(left, uppers);
      this.aggregate(right, uppers);
      count = (this.members[left] as number) + (this.members[right] as number);
      most = Math.max(this.maxUpper[left] as number, this.maxUpper[right] as number);
    }
    this.members[node] = count;
    this.maxUpper[node] = most;
  }

  /** Stores a point (inside the bounds) for trial `position`; returns its slot. */
  private store(position: number, point: Float64Array): number {
    const d = this.d;
    const slot = this.size++;
    if (slot >= this.positions.length) {
      this.positions = grow(this.positions, slot + 1);
      const coords = new Float64Array(this.positions.length * d);
      coords.set(this.coords);
      this.coords = coords;
      const cells = new Uint8Array(this.positions.length * d);
      cells.set(this.cells);
      this.cells = cells;
    }
    this.positions[slot] = position;
    for (let p = 0; p < d; p++) {
      const v = point[p] as number;
      const low = this.lows[p] as number;
      const cell = Math.floor((v - low) * (CELLS / ((this.highs[p] as number) - low)));
      this.coords[slot * d + p] = v;
      this.cells[slot * d + p] = cell < 0 ? 0 : cell >= CELLS ? CELLS - 1 : cell;
    }
    return slot;
  }

  /** Inserts a stored point into the tree: down its path, then a leaf split or a rebuild where needed. */
  private place(slot: number, point: Float64Array): void {
    const d = this.d;
    if (this.root < 0) {
      this.root = this.allocate();
      this.makeLeaf(this.root, Int32Array.of(slot), 0, 1);
      return;
    }
    const path = this.path;
    path.length = 0;
    let node = this.root;
    for (;;) {
      path.push(node);
      this.total[node] = (this.total[node] as number) + 1;
      for (let p = 0; p < d; p++) {
        const v = point[p] as number;
        if (v < (this.boxLow[node * d + p] as number)) this.boxLow[node * d + p] = v;
        if (v > (this.boxHigh[node * d + p] as number)) this.boxHigh[node * d + p] = v;
      }
      const left = this.left[node] as number;
      if (left < 0) break;
      node = (point[this.splitDim[node] as number] as number) <= (this.splitValue[node] as number) ? left : (this.right[node] as number);
    }
    let slots = this.leafSlots[node] as Int32Array;
    const length = this.leafLength[node] as number;
    if (length >= slots.length) {
      slots = grow(slots, length + 1);
      this.leafSlots[node] = slots;
    }
    slots[length] = slot;
    this.leafLength[node] = length + 1;
    // The topmost unbalanced node on the path is rebuilt (which also splits a full leaf below it).
    for (const n of path) {
      const left = this.left[n] as number;
      if (left < 0) {
        if ((this.leafLength[n] as number) > LEAF_SIZE && this.spread(n)) this.rebuild(n);
        break;
      }
      const larger = Math.max(this.total[left] as number, this.total[this.right[n] as number] as number);
      const total = this.total[n] as number;
      if (total > 2 * LEAF_SIZE && larger > ALPHA * total && total >= 1.25 * (this.builtTotal[n] as number)) {
        this.rebuild(n);
        break;
      }
    }
  }

  /** Whether the node's points are not all one point. */
  private spread(node: number): boolean {
    for (let p = 0; p < this.d; p++) if ((this.boxHigh[node * this.d + p] as number) > (this.boxLow[node * this.d + p] as number)) return true;
    return false;
  }

  /** Rebuilds the subtree at `node` balanced (median splits), reusing `node` as its root. */
  private rebuild(node: number): void {
    const slots = new Int32Array(this.total[node] as number);
    let k = 0;
    const stack = [node];
    while (stack.length > 0) {
      const n = stack.pop() as number;
      const left = this.left[n] as number;
      if (left < 0) {
        const own = this.leafSlots[n] as Int32Array;
        for (let i = 0; i < (this.leafLength[n] as number); i++) slots[k++] = own[i] as number;
        if (n !== node) this.release(n);
      } else {
        stack.push(left, this.right[n] as number);
        if (n !== node) this.release(n);
      }
    }
    this.build(node, slots, 0, k);
  }

  /** Makes `node` the root of a balanced subtree over slots[from..to). */
  private build(node: number, slots: Int32Array, from: number, to: number): void {
    const d = this.d;
    const coords = this.coords;
    let widest = -1;
    let extent = 0;
    for (let p = 0; p < d; p++) {
      let low = Infinity;
      let high = -Infinity;
      for (let i = from; i < to; i++) {
        const v = coords[(slots[i] as number) * d + p] as number;
        if (v < low) low = v;
        if (v > high) high = v;
      }
      this.boxLow[node * d + p] = low;
      this.boxHigh[node * d + p] = high;
      if (high - low > extent) {
        extent = high - low;
        widest = p;
      }
    }
    this.total[node] = to - from;
    this.builtTotal[node] = to - from;
    if (to - from <= LEAF_SIZE || widest < 0) {
      this.makeLeaf(node, slots, from, to);
      return;
    }
    const count = to - from;
    const last = this.boxHigh[node * d + widest] as number;
    // Split at the median, or below the largest value when the upper half is all that value: both sides non-empty.
    // (A selection and a partition, not a sort: O(count) per level, and no comparator calls.)
    let split = selectValue(slots, from, to, from + (count >> 1) - 1, coords, d, widest);
    if (split === last) {
      split = -Infinity;
      for (let i = from; i < to; i++) {
        const v = coords[(slots[i] as number) * d + widest] as number;
        if (v < last && v > split) split = v;
      }
    }
    // The points at or below the split first.
    let cut = from;
    for (let i = from; i < to; i++) {
      const slot = slots[i] as number;
      if ((coords[slot * d + widest] as number) <= split) {
        slots[i] = slots[cut] as number;
        slots[cut++] = slot;
      }
    }
    cut -= from;
    const left = this.allocate();
    const right = this.allocate();
    this.left[node] = left;
    this.right[node] = right;
    this.splitDim[node] = widest;
    this.splitValue[node] = split;
    this.leafSlots[node] = undefined;
    this.leafLength[node] = 0;
    this.build(left, slots, from, from + cut);
    this.build(right, slots, from + cut, to);
  }

  private makeLeaf(node: number, slots: Int32Array, from: number, to: number): void {
    const d = this.d;
    const own = new Int32Array(Math.max(LEAF_SIZE + 1, to - from + 1));
    own.set(slots.subarray(from, to));
    this.leafSlots[node] = own;
    this.leafLength[node] = to - from;
    this.left[node] = -1;
    this.right[node] = -1;
    this.total[node] = to - from;
    this.builtTotal[node] = to - from;
    for (let p = 0; p < d; p++) {
      let low = Infinity;
      let high = -Infinity;
      for (let i = from; i < to; i++) {
        const v = this.coords[(slots[i] as number) * d + p] as number;
        if (v < low) low = v;
        if (v > high) high = v;
      }
      this.boxLow[node * d + p] = low;
      this.boxHigh[node * d + p] = high;
    }
  }

  private allocate(): number {
    const free = this.freeNodes.pop();
    if (free !== undefined) return free;
    const node = this.nodeCount++;
    if (node >= this.left.length) {
      const capacity = this.left.length * 2;
      this.left = grow(this.left, capacity);
      this.right = grow(this.right, capacity);
      this.splitDim = grow(this.splitDim, capacity);
      this.total = grow(this.total, capacity);
      this.builtTotal = grow(this.builtTotal, capacity);
      this.leafLength = grow(this.leafLength, capacity);
      const splitValue = new Float64Array(capacity);
      splitValue.set(this.splitValue);
      this.splitValue = splitValue;
      const boxLow = new Float64Array(capacity * this.d);
      boxLow.set(this.boxLow);
      this.boxLow = boxLow;
      const boxHigh = new Float64Array(capacity * this.d);
      boxHigh.set(this.boxHigh);
      this.boxHigh = boxHigh;
    }
    return node;
  }

  private release(node: number): void {
    this.leafSlots[node] = undefined;
    this.leafLength[node] = 0;
    this.left[node] = -1;
    this.right[node] = -1;
    this.total[node] = 0;
    this.freeNodes.push(node);
  }
}

/**
 * The value of rank `k` (from <= k < to) among the slots' coordinates in dimension p:
 * Hoare's selection with a middle pivot, reordering slots[from..to) in place.
 */
function selectValue(slots: Int32Array, from: number, to: number, k: number, coords: Float64Array, d: number, p: number): number {
  let low = from;
  let high = to - 1;
  while (low < high) {
    const pivot = coords[(slots[(low + high) >> 1] as number) * d + p] as number;
    let i = low;
    let j = high;
    while (i <= j) {
      while ((coords[(slots[i] as number) * d + p] as number) < pivot) i++;
      while ((coords[(slots[j] as number) * d + p] as number) > pivot) j--;
      if (i <= j) {
        const t = slots[i] as number;
        slots[i++] = slots[j] as number;
        slots[j--] = t;
      }
    }
    // Now slots[low..j] <= pivot <= slots[i..high], and any between equal the pivot.
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else break;
  }
  return coords[(slots[k] as number) * d + p] as number;
}

function grow(array: Int32Array, atLeast: number): Int32Array {
  let capacity = Math.max(array.length, 1);
  while (capacity < atLeast) capacity *= 2;
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}
