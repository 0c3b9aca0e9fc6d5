// Per-suggestion indexes of a group's trial ids, shared by the parameters of a suggestion
// (issue 14): membership, the ids that joined since the last suggestion, and the
// suggestion's log mixture weights by slot.

/**
 * Which trial ids are in a group's ids (`members`), filled once per ids array: the searcher
 * passes the same fresh array to every parameter without inactive trials, so one pass serves
 * them all. Entries are valid where `stamp` equals `epoch` (no clearing pass). An ids array
 * must not be changed after it was indexed.
 */
export class ComponentIndex {
  stamp = new Int32Array(0);
  epoch = 0;
  private indexed: Int32Array | undefined;
  private slotted: { ids: Int32Array; logWeights: Float64Array } | undefined;
  private bySlot = new Float64Array(0);
  /** The largest observation log weight of the last `logWeightsBySlot` (-Infinity for none). */
  largestLogWeight = -Infinity;
  private diffed: { from: Int32Array; to: Int32Array; joined: Int32Array | null } | undefined;

  /**
   * The ids of `to` that are not in `from` (both ascending), or null where an id of `from` is
   * missing from `to` or more than `limit` joined; computed once per pair of arrays (the
   * parameters of a suggestion usually share both).
   */
  joined(from: Int32Array, to: Int32Array, limit: number): Int32Array | null {
    const known = this.diffed;
    if (known !== undefined && known.from === from && known.to === to) return known.joined;
    let joined: Int32Array | null = null;
    const kept = from.length;
    if (to.length >= kept && to.length - kept <= limit) {
      const found = new Int32Array(to.length - kept);
      let count = 0;
      let j = 0;
      let missing = false;
      for (let c = 0; c < to.length; c++) {
        const id = to[c] as number;
        if (j < kept && (from[j] as number) === id) {
          j++;
          continue;
        }
        // A kept id below this one is not in `to`; more joined than the sizes allow means one is missing too.
        if ((j < kept && (from[j] as number) < id) || count === found.length) {
          missing = true;
          break;
        }
        found[count++] = id;
      }
      if (!missing && j === kept) joined = found;
    }
    this.diffed = { from, to, joined };
    return joined;
  }

  /**
   * Each component's log weight by slot (0: the prior, id + 1: the observation with trial id
   * `id`), filled once per pair of ids and log weights: the parameters of a suggestion usually
   * share both arrays.
   */
  logWeightsBySlot(ids: Int32Array, logWeights: Float64Array): Float64Array {
    if (this.slotted?.ids !== ids || this.slotted.logWeights !== logWeights) {
      const n = ids.length;
      const largest = n > 0 ? (ids[n - 1] as number) : -1;
      if (this.bySlot.length < largest + 2) this.bySlot = new Float64Array(Math.max(largest + 2, 2 * this.bySlot.length, 64));
      const bySlot = this.bySlot;
      let heaviest = -Infinity;
      for (let c = 0; c < n; c++) {
        const logWeight = logWeights[c] as number;
        bySlot[(ids[c] as number) + 1] = logWeight;
        if (logWeight > heaviest) heaviest = logWeight;
      }
      this.largestLogWeight = heaviest;
      bySlot[0] = n < logWeights.length ? (logWeights[n] as number) : Number.NaN;
      this.slotted = { ids, logWeights };
    }
    return this.bySlot;
  }

  /** The membership stamps of `ids`: trial id t is a member where stamp[t] === epoch. */
  members(ids: Int32Array): { stamp: Int32Array; epoch: number } {
    if (ids !== this.indexed) {
      const largest = ids.length > 0 ? (ids[ids.length - 1] as number) : -1;
      if (this.stamp.length <= largest) {
        this.stamp = new Int32Array(Math.max(largest + 1, 2 * this.stamp.length, 64));
        this.epoch = 0;
      }
      this.epoch = this.epoch === 0x7fffffff ? 1 : this.epoch + 1;
      if (this.epoch === 1) this.stamp.fill(0);
      const { stamp, epoch } = this;
      for (let c = 0; c < ids.length; c++) stamp[ids[c] as number] = epoch;
      this.indexed = ids;
    }
    return this;
  }
}
