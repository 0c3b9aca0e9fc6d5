/**
 * An order-statistic tree: entries (score, tie) kept best first (higher score
 * first, then lower tie), with insert, remove, rank and select in O(log n)
 * expected time. A treap with subtree sizes, stored in typed arrays so a rung
 * of 100,000 scores costs a few MB and no per-entry objects.
 *
 * Why a treap and not the alternatives: a Fenwick tree over ranks needs every
 * score known up front (ASHA learns them one result at a time); a sorted array
 * with binary insertion moves O(n) entries per insert; a library tree (the npm
 * ones at hand: AVL and red-black trees without subtree sizes) cannot answer
 * "the k-th best". Priorities come from a fixed integer hash of the slot index,
 * so the shape, like everything in an algorithm here, is deterministic.
 */
export class OrderStatisticTree {
  private left = new Int32Array(16);
  private right = new Int32Array(16);
  private sizes = new Int32Array(16);
  private priority = new Uint32Array(16);
  private scores = new Float64Array(16);
  private ties = new Float64Array(16);
  private payloads = new Int32Array(16);
  private root = 0;
  /** Slot 0 is the empty tree; slots 1..used are nodes; freed slots are reused. */
  private used = 0;
  private readonly free: number[] = [];
  /** Allocations so far: the input of the priority hash. */
  private serial = 0;
  /** The second tree of the last `split`. */
  private splitRight = 0;

  get size(): number {
    return this.sizes[this.root] as number;
  }

  /** Adds an entry; `payload` (an int32) comes back from `payloadAt`. Keys (score, tie) must be distinct. */
  insert(score: number, tie: number, payload = 0): void {
    const node = this.allocate(score, tie, payload);
    // Walk down while the path's priorities beat the new node's, counting it into
    // each subtree passed; split only the subtree it becomes the root of. The
    // treap is the same one split-and-merge would build (distinct keys and
    // priorities fix its shape); this touches one path instead of three.
    const priority = this.priority[node] as number;
    let parent = 0;
    let toRight = false;
    let at = this.root;
    while (at !== 0 && (this.priority[at] as number) > priority) {
      this.sizes[at] = (this.sizes[at] as number) + 1;
      parent = at;
      toRight = this.before(at, score, tie);
      at = (toRight ? this.right[at] : this.left[at]) as number;
    }
    this.left[node] = this.split(at, score, tie);
    this.right[node] = this.splitRight;
    this.update(node);
    if (parent === 0) this.root = node;
    else if (toRight) this.right[parent] = node;
    else this.left[parent] = node;
  }

  /** Removes the entry with this key; false when there is none. */
  remove(score: number, tie: number): boolean {
    // Find the node, then walk the path again taking it out of each subtree
    // size, and put the merge of its children in its place: one path and one
    // merge, where split-and-merge rebuilt three.
    let parent = 0;
    let toRight = false;
    let at = this.root;
    while (at !== 0 && !(this.scores[at] === score && this.ties[at] === tie)) {
      parent = at;
      toRight = this.before(at, score, tie);
      at = (toRight ? this.right[at] : this.left[at]) as number;
    }
    if (at === 0) return false;
    for (let on = this.root; on !== at; on = (this.before(on, score, tie) ? this.right[on] : this.left[on]) as number) {
      this.sizes[on] = (this.sizes[on] as number) - 1;
    }
    const joined = this.merge(this.left[at] as number, this.right[at] as number);
    if (parent === 0) this.root = joined;
    else if (toRight) this.right[parent] = joined;
    else this.left[parent] = joined;
    this.free.push(at);
    return true;
  }

  /** How many entries come before (score, tie): its rank, 0 = best. */
  rankOf(score: number, tie: number): number {
    let node = this.root;
    let rank = 0;
    while (node !== 0) {
      if (this.before(node, score, tie)) {
        rank += (this.sizes[this.left[node] as number] as number) + 1;
        node = this.right[node] as number;
      } else {
        node = this.left[node] as number;
      }
    }
    return rank;
  }

  /** Score of the entry at `rank` (0 = best). */
  scoreAt(rank: number): number {
    return this.scores[this.select(rank)] as number;
  }

  /** Tie of the entry at `rank`. */
  tieAt(rank: number): number {
    return this.ties[this.select(rank)] as number;
  }

  /** Payload of the entry at `rank`. */
  payloadAt(rank: number): number {
    return this.payloads[this.select(rank)] as number;
  }

  clear(): void {
    this.root = 0;
    this.used = 0;
    this.free.length = 0;
    this.serial = 0;
  }

  private select(rank: number): number {
    if (!(rank >= 0 && rank < this.size)) throw new RangeError(`rank ${rank} outside 0..${this.size - 1}`);
    let node = this.root;
    let k = rank;
    for (;;) {
      const leftSize = this.sizes[this.left[node] as number] as number;
      if (k < leftSize) node = this.left[node] as number;
      else if (k === leftSize) return node;
      else {
        k -= leftSize + 1;
        node = this.right[node] as number;
      }
    }
  }

  /** Whether node's key comes strictly before (score, tie). */
  private before(node: number, score: number, tie: number): boolean {
    const s = this.scores[node] as number;
    return s > score || (s === score && (this.ties[node] as number) < tie);
  }

  /**
   * Splits into (entries before the key, entries at or after it): returns the
   * first tree and leaves the second in `splitRight` (no tuple allocated per
   * level: this runs on every insert and remove).
   */
  private split(node: number, score: number, tie: number): number {
    if (node === 0) {
      this.splitRight = 0;
      return 0;
    }
    if (this.before(node, score, tie)) {
      this.right[node] = this.split(this.right[node] as number, score, tie);
      this.update(node);
      return node;
    }
    const a = this.split(this.left[node] as number, score, tie);
    this.left[node] = this.splitRight;
    this.update(node);
    this.splitRight = node;
    return a;
  }

  /** Joins two trees where every entry of `a` comes before every entry of `b`. */
  private merge(a: number, b: number): number {
    if (a === 0) return b;
    if (b === 0) return a;
    if ((this.priority[a] as number) > (this.priority[b] as number)) {
      this.right[a] = this.merge(this.right[a] as number, b);
      this.update(a);
      return a;
    }
    this.left[b] = this.merge(a, this.left[b] as number);
    this.update(b);
    return b;
  }

  private update(node: number): void {
    this.sizes[node] = (this.sizes[this.left[node] as number] as number) + (this.sizes[this.right[node] as number] as number) + 1;
  }

  private allocate(score: number, tie: number, payload: number): number {
    let node = this.free.pop();
    if (node === undefined) {
      node = ++this.used;
      if (node >= this.left.length) this.grow();
    }
    this.left[node] = 0;
    this.right[node] = 0;
    this.sizes[node] = 1;
    this.priority[node] = mix(++this.serial);
    this.scores[node] = score;
    this.ties[node] = tie;
    this.payloads[node] = payload;
    return node;
  }

  private grow(): void {
    const n = this.left.length * 2;
    const growI = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.left = growI(this.left);
    this.right = growI(this.right);
    this.sizes = growI(this.sizes);
    this.payloads = growI(this.payloads);
    const p = new Uint32Array(n);
    p.set(this.priority);
    this.priority = p;
    const s = new Float64Array(n);
    s.set(this.scores);
    this.scores = s;
    const t = new Float64Array(n);
    t.set(this.ties);
    this.ties = t;
  }
}

/** A 32-bit integer hash (Murmur3's finaliser): well-spread treap priorities without a random stream. */
function mix(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
