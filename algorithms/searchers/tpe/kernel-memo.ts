import { float64s, grown } from "../../math/grown.ts";

/**
 * What TPE's Parzen estimators can carry from one suggestion to the next without
 * changing a single bit of their output (issue 14). Every value kept here is the
 * result of the same deterministic computation on the same inputs that would
 * otherwise be redone; a lookup only replaces the call that would produce it.
 *
 * - `KernelMemo` (one per parameter): a component's log normaliser (log sigma minus
 *   the log truncated-normal density at its mode) and log sigma depend only on its
 *   centre and its bandwidth. The centre of an observation never changes (it is the
 *   trial's value); its bandwidth usually does not either (at n >= 99 the magic
 *   clip floors most univariate bandwidths at 1% of the range). So the memo is keyed
 *   by observation (the trial's position) and holds the bandwidth it was computed at.
 * - `WeightsMemo` (one per suggestion): the normalised mixture weights and their logs
 *   depend only on n, the weights rule, the prior flag and the prior weight; in a
 *   suggestion every parameter's bad-group estimator has the same four.
 */

/**
 * Per-parameter memo of log normalisers and log bandwidths. Slot 0 is the prior
 * component, slot id + 1 the observation with id `id`; a slot is valid for the
 * bandwidth in `sigmas` (NaN: never computed).
 */
export class KernelMemo {
  sigmas = new Float64Array(0);
  logNormalizers = new Float64Array(0);
  logSigmas = new Float64Array(0);

  /** Makes slots 0..size-1 addressable. */
  reserve(size: number): void {
    if (size <= this.sigmas.length) return;
    this.sigmas = grown(this.sigmas, size, (capacity) => new Float64Array(capacity).fill(Number.NaN));
    this.logNormalizers = grown(this.logNormalizers, size, float64s);
    this.logSigmas = grown(this.logSigmas, size, float64s);
  }
}

interface WeightsEntry {
  readonly n: number;
  readonly rule: (n: number) => Float64Array;
  readonly considerPrior: boolean;
  readonly priorWeight: number;
  readonly weights: Float64Array;
  readonly logWeights: Float64Array;
}

/** Mixture weights of the estimators built in one suggestion; `clear` it before the next (the rule may be stateful). */
export class WeightsMemo {
  private entries: WeightsEntry[] = [];

  find(n: number, rule: (n: number) => Float64Array, considerPrior: boolean, priorWeight: number): WeightsEntry | undefined {
    for (const e of this.entries) if (e.n === n && e.rule === rule && e.considerPrior === considerPrior && e.priorWeight === priorWeight) return e;
    return undefined;
  }

  keep(entry: WeightsEntry): void {
    this.entries.push(entry);
  }

  clear(): void {
    this.entries = [];
  }
}

/**
 * Every trial's value of one parameter, kept sorted across suggestions (issue 14): the
 * trial ids (positions) in ascending (value, id) order, NaN values left out. A trial's
 * value never changes and trials are only added, so each suggestion inserts one id in
 * O(n) instead of sorting n values. An estimator's components are a subset of the trials
 * in ascending id order, so walking this list and keeping its members gives exactly the
 * stable argsort of its centres (`orderOf`).
 */
export class SortedColumn {
  /** Trial ids in ascending (value, id) order; entries 0..size-1 are valid (read-only outside). */
  ids = new Int32Array(64);
  /** The values of `ids`, ascending (read-only outside). */
  values = new Float64Array(64);
  size = 0;
  /** Scratch: component index of each trial id during `orderOf` (-1 elsewhere). */
  private slots = new Int32Array(0);

  /** Adds trial `id` (larger than every id so far) with `value`; NaN is not kept. */
  insert(id: number, value: number): void {
    if (Number.isNaN(value)) return;
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.size * 2);
      ids.set(this.ids);
      const values = new Float64Array(this.size * 2);
      values.set(this.values);
      this.ids = ids;
      this.values = values;
    }
    // After every entry <= value: equal values keep ascending ids.
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.values[mid] as number) <= value) lo = mid + 1;
      else hi = mid;
    }
    this.ids.copyWithin(lo + 1, lo, this.size);
    this.values.copyWithin(lo + 1, lo, this.size);
    this.ids[lo] = id;
    this.values[lo] = value;
    this.size++;
  }

  /**
   * The component indices of an estimator by ascending centre, ties by index: what
   * stableArgsort(mus) returns. `ids` are its observations' trial ids (ascending, each in
   * this column), component c < ids.length is ids[c]; with `priorCentre` the prior is
   * component ids.length (it follows the observations with an equal centre).
   */
  orderOf(ids: Int32Array, priorCentre: number | undefined): Uint32Array {
    const n = ids.length;
    const last = n > 0 ? (ids[n - 1] as number) : -1;
    if (this.slots.length <= last) {
      const slots = new Int32Array(Math.max(last + 1, this.slots.length * 2));
      slots.fill(-1);
      this.slots = slots;
    }
    const slots = this.slots;
    for (let c = 0; c < n; c++) slots[ids[c] as number] = c;
    const order = new Uint32Array(n + (priorCentre === undefined ? 0 : 1));
    let k = 0;
    let priorPending = priorCentre !== undefined;
    for (let r = 0; r < this.size; r++) {
      const id = this.ids[r] as number;
      if (id > last) continue;
      const c = slots[id] as number;
      if (c < 0) continue;
      if (priorPending && (this.values[r] as number) > (priorCentre as number)) {
        order[k++] = n;
        priorPending = false;
      }
      order[k++] = c;
    }
    if (priorPending) order[k++] = n;
    for (let c = 0; c < n; c++) slots[ids[c] as number] = -1;
    if (k !== order.length) throw new Error(`SortedColumn.orderOf: ${order.length - k} observations are not in the column`);
    return order;
  }
}

/** What a ParzenEstimator may reuse: the observations' ids (aligned with the columns) and one KernelMemo per parameter. */
export interface ParzenMemo {
  readonly ids: Int32Array;
  readonly kernels: readonly KernelMemo[];
  readonly weights: WeightsMemo;
  /** Per parameter, every trial's value in sorted order (the centres' order without a sort). */
  readonly sorted?: readonly SortedColumn[];
}
