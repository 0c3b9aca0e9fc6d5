import { float64s, grown } from "../../math/grown.ts";

/**
 * TPE's split of the trials into the good and the bad group (Optuna's
 * `_split_observation_pairs`), on key columns kept by trial position (issue 14).
 */

/** The good and bad groups of a suggestion: their trials' positions, ascending. */
export interface Groups {
  readonly belowIds: Int32Array;
  readonly aboveIds: Int32Array;
}


const RUNNING = 0;
const FINISHED = 1;
const ERROR = 2;

/**
 * Each trial's state, step and loss by its position (a copy of the records' fields, set by
 * `keep` after every change), with the split's scratch columns, grown by doubling.
 */
export class RankingColumns {
  state = new Uint8Array(64);
  step = new Float64Array(64);
  loss = new Float64Array(64);
  private readonly work = { steps: new Float64Array(64), losses: new Float64Array(64), positions: new Int32Array(64) };

  keep(record: { readonly index: number; readonly state: "running" | "finished" | "error"; readonly step: number; readonly loss: number }): void {
    const i = record.index;
    if (i >= this.state.length) {
      this.state = grown(this.state, i + 1, (size) => new Uint8Array(size));
      this.step = grown(this.step, i + 1, float64s);
      this.loss = grown(this.loss, i + 1, float64s);
    }
    this.state[i] = record.state === "running" ? RUNNING : record.state === "finished" ? FINISHED : ERROR;
    this.step[i] = record.step;
    this.loss[i] = record.loss;
  }

  /** Scratch columns of at least `size` entries (their contents are overwritten by each split). */
  scratch(size: number): { steps: Float64Array; losses: Float64Array; positions: Int32Array } {
    const work = this.work;
    if (work.steps.length < size) {
      const grown = Math.max(size, 2 * work.steps.length);
      work.steps = new Float64Array(grown);
      work.losses = new Float64Array(grown);
      work.positions = new Int32Array(grown);
    }
    return work;
  }
}

/**
 * The split of the first `count` trials of `columns` into the best `nBelow` and the rest, as
 * trial positions: with the constant liar every trial but the errored ones, ranked worst while
 * running; otherwise the finished ones. One pass over the columns, no per-record closures.
 */
export function splitByColumns(columns: RankingColumns, count: number, liar: boolean, nBelow: number): Groups {
  const { state, step, loss } = columns;
  const { steps, losses, positions } = columns.scratch(count);
  let m = 0;
  for (let i = 0; i < count; i++) {
    const s = state[i] as number;
    if (s === ERROR || (!liar && s !== FINISHED)) continue;
    // Optuna's constant liar: a running trial ranks as worst, whatever it reported so far.
    const running = liar && s === RUNNING;
    steps[m] = running ? Infinity : (step[i] as number);
    losses[m] = running ? Infinity : (loss[i] as number);
    positions[m++] = i;
  }
  const inBelow = belowMask(steps, losses, m, nBelow);
  let belowCount = 0;
  for (let i = 0; i < m; i++) belowCount += inBelow[i] as number;
  const belowIds = new Int32Array(belowCount);
  const aboveIds = new Int32Array(m - belowCount);
  let b = 0;
  let a = 0;
  for (let i = 0; i < m; i++) {
    if (inBelow[i] === 1) belowIds[b++] = positions[i] as number;
    else aboveIds[a++] = positions[i] as number;
  }
  return { belowIds, aboveIds };
}

/** A record's own ranking key. */
export const ownKeys = (r: { step: number; loss: number }) => r;

/** Above this good-group size the split sorts everything; below it, it keeps only the best nBelow (issue 14). */
const SELECTION_LIMIT = 64;

/**
 * Optuna's `_split_observation_pairs`: rank by (step, loss) with a stable sort, the first
 * `nBelow` are the good group; both groups keep chronological order. `keys` gives each
 * record's (step, loss) (the constant liar ranks running trials worst).
 *
 * Only membership of the best `nBelow` matters, so for small `nBelow` the best are kept
 * in a sorted window of that size in one pass, O(n nBelow) worst case and O(n) typically,
 * instead of sorting all n. (step, loss, position) is a strict total order, so the window
 * holds exactly the first `nBelow` of the stable sort. Keys with NaN are not ordered; then
 * the sort runs, as before.
 */
export function splitObservations<T extends { step: number; loss: number }>(
  records: readonly T[],
  nBelow: number,
  keys: (r: T) => { step: number; loss: number } = ownKeys,
): { below: T[]; above: T[] } {
  const n = records.length;
  const steps = new Float64Array(n);
  const losses = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const key = keys(records[i] as T);
    steps[i] = key.step;
    losses[i] = key.loss;
  }
  const inBelow = belowMask(steps, losses, n, nBelow);
  const below: T[] = [];
  const above: T[] = [];
  records.forEach((r, i) => (inBelow[i] === 1 ? below : above).push(r));
  return { below, above };
}

/** `splitObservations` on key columns (the first n entries): 1 for the good group's members. */
function belowMask(steps: Float64Array, losses: Float64Array, n: number, nBelow: number): Uint8Array {
  const k = Math.max(0, Math.min(nBelow, n));
  let ordered = true;
  for (let i = 0; i < n; i++) if (Number.isNaN(steps[i] as number) || Number.isNaN(losses[i] as number)) ordered = false;
  const inBelow = new Uint8Array(n);
  if (ordered && k <= SELECTION_LIMIT) {
    const window = new Int32Array(k);
    let size = 0;
    const less = (i: number, j: number): boolean =>
      (steps[i] as number) < (steps[j] as number) || ((steps[i] as number) === (steps[j] as number) && (losses[i] as number) < (losses[j] as number));
    for (let i = 0; i < n && k > 0; i++) {
      // Ties keep the earlier record first: i goes after every entry it does not beat.
      if (size === k && !less(i, window[k - 1] as number)) continue;
      let at = size === k ? k - 1 : size++;
      while (at > 0 && less(i, window[at - 1] as number)) {
        window[at] = window[at - 1] as number;
        at--;
      }
      window[at] = i;
    }
    for (let j = 0; j < size; j++) inBelow[window[j] as number] = 1;
  } else {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((i, j) => compareKeys(steps[i] as number, steps[j] as number) || compareKeys(losses[i] as number, losses[j] as number) || i - j);
    for (let j = 0; j < k; j++) inBelow[order[j] as number] = 1;
  }
  return inBelow;
}

function compareKeys(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

