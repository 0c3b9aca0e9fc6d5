import { lowerBound, upperBound } from "../math/sorted-search.ts";

/**
 * Values on half-open time intervals [start, end), and the median of the values
 * whose interval contains a time T: the index behind median stopping on a
 * continuous time attribute (median-running-means.ts).
 *
 * Each trial's running mean is a step function of the time, one interval per
 * step; "the running means at T" are the values of the intervals that contain T.
 * Times and values both arrive online and in any order (a real trial's
 * time_total_s is its own wall time: results reach the rule in no time order),
 * so neither a sweep over time nor a tree per time is exact and bounded.
 *
 * Layout: the intervals sorted by value, cut into blocks of about `blockSize`.
 * Each block keeps its starts and its ends sorted, so how many of its intervals
 * contain T is two binary searches. The k-th smallest value at T is a pass over
 * the blocks' counts (in value order) and a scan of one block. A query is
 * O((R / B) log B + B) for R intervals and blocks of B; B is set to about
 * sqrt(8 R) whenever R doubles (a rebuild, O(R) amortised O(1) per insert), so
 * a query is O(sqrt(R log R)) and an insert or remove O(B) (moves within a block
 * only). Memory is O(R): six numbers per interval, no object per interval.
 *
 * The order of values is Float64Array's sort (−0 before +0, NaN last), so the
 * values picked are bit for bit those of sorting the means: the pass this
 * replaces (`passMedian`).
 */
export class IntervalMedianIndex {
  private blocks: Block[] = [new Block()];
  private total = 0;
  private blockSize: number;
  private rebuildAt: number;
  /** Per block: how many of its intervals contain the time of the current query. */
  private counts = new Int32Array(16);

  /** `minBlock`, `blockFactor`: blocks of max(minBlock, sqrt(blockFactor R)) (small ones let tests split often). */
  constructor(
    private readonly minBlock = 64,
    private readonly blockFactor = 8,
  ) {
    this.blockSize = minBlock;
    this.rebuildAt = minBlock * minBlock;
  }

  get size(): number {
    return this.total;
  }

  /** Adds the interval [start, end) with `value`; `end` NaN: no end. (`owner`, `start`) identifies it. */
  insert(value: number, start: number, end: number, owner: number): void {
    const b = this.blockFor(value);
    const block = this.blocks[b] as Block;
    block.insert(value, start, end, owner);
    this.total++;
    if (this.total >= this.rebuildAt) this.rebuild();
    else if (block.values.length > 2 * this.blockSize) this.blocks.splice(b, 1, ...block.halves());
  }

  /** Removes the interval of `owner` starting at `start` with `value` (as inserted); false when there is none. */
  remove(value: number, start: number, owner: number): boolean {
    for (let b = this.blockFor(value); b < this.blocks.length; b++) {
      const block = this.blocks[b] as Block;
      const found = block.remove(value, start, owner);
      if (found === FOUND) {
        this.total--;
        if (block.values.length === 0 && this.blocks.length > 1) this.blocks.splice(b, 1);
        return true;
      }
      if (found === NOT_HERE_NOR_AFTER) return false;
    }
    return false;
  }

  /**
   * The median (numpy's: the mean of the two middle values for an even count)
   * of the values at `time`, leaving out one value `own` (the asking trial's,
   * which must be among them) when it is defined; and how many values it came from.
   */
  medianAt(time: number, own: number | undefined): { median: number | undefined; count: number } {
    const all = this.countAt(time);
    const skip = own === undefined ? -1 : this.rankBefore(own, time);
    const count = all - (own === undefined ? 0 : 1);
    if (count <= 0) return { median: undefined, count: 0 };
    const position = 0.5 * (count - 1);
    const lower = Math.floor(position);
    const upper = Math.min(count - 1, lower + 1);
    // Leaving out the first occurrence of `own` leaves the same values as leaving out any other.
    const low = this.select(skip >= 0 && lower >= skip ? lower + 1 : lower, time);
    const high = this.select(skip >= 0 && upper >= skip ? upper + 1 : upper, time);
    return { median: low + (high - low) * (position - lower), count };
  }

  /** How many intervals contain `time`; leaves each block's count in `counts`. */
  private countAt(time: number): number {
    if (this.counts.length < this.blocks.length) this.counts = new Int32Array(2 * this.blocks.length);
    let sum = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      const n = (this.blocks[b] as Block).countAt(time);
      this.counts[b] = n;
      sum += n;
    }
    return sum;
  }

  /** How many values at `time` sort before `value` (after countAt(time)). */
  private rankBefore(value: number, time: number): number {
    let rank = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b] as Block;
      const n = block.values.length;
      if (n === 0) continue;
      if (sortsBefore(block.values[n - 1] as number, value)) {
        rank += this.counts[b] as number;
        continue;
      }
      for (let i = 0; i < n && sortsBefore(block.values[i] as number, value); i++) {
        if (block.contains(i, time)) rank++;
      }
      break;
    }
    return rank;
  }

  /** The `ascending`-th smallest value at `time` (0 = smallest; after countAt(time)). */
  private select(ascending: number, time: number): number {
    let left = ascending;
    for (let b = 0; b < this.blocks.length; b++) {
      const n = this.counts[b] as number;
      if (left >= n) {
        left -= n;
        continue;
      }
      const block = this.blocks[b] as Block;
      for (let i = 0; i < block.values.length; i++) {
        if (block.contains(i, time) && left-- === 0) return block.values[i] as number;
      }
    }
    throw new RangeError(`no value of rank ${ascending} at ${time}`);
  }

  /** The block a value goes in: the first whose largest value does not sort before it (else the last). */
  private blockFor(value: number): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid] as Block;
      const n = block.values.length;
      if (n > 0 && sortsBefore(block.values[n - 1] as number, value)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Re-cuts every block at the block size for the present count (about sqrt(8 R)). */
  private rebuild(): void {
    this.blockSize = Math.max(this.minBlock, Math.ceil(Math.sqrt(this.blockFactor * this.total)));
    this.rebuildAt = 2 * this.total;
    const whole = Block.concat(this.blocks);
    const blocks: Block[] = [];
    for (let from = 0; from < whole.values.length; from += this.blockSize) blocks.push(whole.slice(from, from + this.blockSize));
    this.blocks = blocks.length > 0 ? blocks : [new Block()];
  }
}

const FOUND = 0;
const NOT_HERE = 1;
const NOT_HERE_NOR_AFTER = 2;

/** Intervals in value order (parallel arrays), with their starts and ends sorted apart for counting. */
class Block {
  values: number[] = [];
  starts: number[] = [];
  ends: number[] = [];
  owners: number[] = [];
  sortedStarts: number[] = [];
  /** The ends that are not NaN (no end: never counted as ended). */
  sortedEnds: number[] = [];

  countAt(time: number): number {
    return upperBound(this.sortedStarts, time) - upperBound(this.sortedEnds, time);
  }

  contains(i: number, time: number): boolean {
    // A NaN end never compares <= time: no end.
    return (this.starts[i] as number) <= time && !((this.ends[i] as number) <= time);
  }

  /** The first position whose value does not sort before `value`. */
  firstNotBefore(value: number): number {
    let at = 0;
    let hi = this.values.length;
    while (at < hi) {
      const mid = (at + hi) >>> 1;
      if (sortsBefore(this.values[mid] as number, value)) at = mid + 1;
      else hi = mid;
    }
    return at;
  }

  insert(value: number, start: number, end: number, owner: number): void {
    const at = this.firstNotBefore(value);
    this.values.splice(at, 0, value);
    this.starts.splice(at, 0, start);
    this.ends.splice(at, 0, end);
    this.owners.splice(at, 0, owner);
    this.sortedStarts.splice(upperBound(this.sortedStarts, start), 0, start);
    if (!Number.isNaN(end)) this.sortedEnds.splice(upperBound(this.sortedEnds, end), 0, end);
  }

  remove(value: number, start: number, owner: number): number {
    for (let i = this.firstNotBefore(value); i < this.values.length; i++) {
      if (sortsBefore(value, this.values[i] as number)) return NOT_HERE_NOR_AFTER;
      if (this.owners[i] !== owner || this.starts[i] !== start) continue;
      const end = this.ends[i] as number;
      this.values.splice(i, 1);
      this.starts.splice(i, 1);
      this.ends.splice(i, 1);
      this.owners.splice(i, 1);
      this.sortedStarts.splice(lowerBound(this.sortedStarts, start), 1);
      if (!Number.isNaN(end)) this.sortedEnds.splice(lowerBound(this.sortedEnds, end), 1);
      return FOUND;
    }
    return NOT_HERE;
  }

  /** The first and second half of this block, as two blocks. */
  halves(): [Block, Block] {
    const half = this.values.length >>> 1;
    return [this.slice(0, half), this.slice(half, this.values.length)];
  }

  slice(from: number, to: number): Block {
    const b = new Block();
    b.values = this.values.slice(from, to);
    b.starts = this.starts.slice(from, to);
    b.ends = this.ends.slice(from, to);
    b.owners = this.owners.slice(from, to);
    b.sortedStarts = Array.from(Float64Array.from(b.starts).sort());
    b.sortedEnds = Array.from(Float64Array.from(b.ends.filter((e) => !Number.isNaN(e))).sort());
    return b;
  }

  static concat(blocks: readonly Block[]): Block {
    const b = new Block();
    for (const x of blocks) {
      for (let i = 0; i < x.values.length; i++) {
        b.values.push(x.values[i] as number);
        b.starts.push(x.starts[i] as number);
        b.ends.push(x.ends[i] as number);
        b.owners.push(x.owners[i] as number);
      }
    }
    return b;
  }
}

/** Whether `a` comes before `b` in Float64Array's sort: numeric, −0 before +0, NaN after every number. */
export function sortsBefore(a: number, b: number): boolean {
  if (a < b) return true;
  if (a > b) return false;
  if (a === b) return a === 0 && Object.is(a, -0) && !Object.is(b, -0);
  return !Number.isNaN(a) && Number.isNaN(b);
}
