import { OrderStatisticTree } from "../../math/order-statistic-tree.ts";
import { pb2TrainingData, PB2_MAX_DATA, type Pb2Row, type Pb2TrainingData } from "./pb2-data.ts";

/**
 * `pb2TrainingData` kept up to date row by row (issue 14): the same x, y, n and
 * donor point, to the bit, without sorting every row ever logged at each exploit.
 *
 * What the batch function computes: rows sorted by (time, arrival); within a
 * group (same trial, same hyperparameters) each row's predecessor is the group's
 * row just before it in that order; a row is usable when its time is strictly
 * after its predecessor's; the last `maxRows` usable rows in that order are the
 * data. Here:
 *
 * - each group keeps its rows in (time, arrival) order; a new row goes after every
 *   row of its group with time <= its time (it arrived last), so only its own
 *   predecessor and its successor (the first row with a later time, whose
 *   predecessor it becomes) change: O(log g + g) for a group of g rows (a trial
 *   with one config), nothing else;
 * - the usable rows sit in an order-statistic tree keyed (time, arrival), so the
 *   last `maxRows` are ranks size - maxRows .. size - 1, and "is the donor's last
 *   usable row among them" is one rank query; a row once usable stays usable
 *   (its predecessor can only be replaced by a later row with a smaller gap that
 *   is still > 0);
 * - each trial keeps its latest usable row (the donor point's row).
 *
 * A row with a non-finite time makes the batch function's comparator inconsistent
 * (Infinity - Infinity is NaN): from then on this falls back to the batch
 * function over every row, so even that case gives the batch function's answer.
 * Cost: O(log R + g) per row, O(maxRows log R) per `trainingData`.
 */
export class Pb2DataIndex {
  private readonly rows: Pb2Row[] = [];
  /** Per row: the row index of its predecessor in its group, or -1. */
  private readonly previous: number[] = [];
  private readonly groups = new Map<string, number[]>();
  private readonly usable = new OrderStatisticTree();
  /** Per trial: the row index of its latest usable row (largest (time, arrival)). */
  private readonly latestUsable = new Map<string, number>();
  private fallback = false;

  constructor(private readonly maxRows = PB2_MAX_DATA) {}

  get size(): number {
    return this.rows.length;
  }

  /** Appends a row (values in the GP's units). */
  add(row: Pb2Row): void {
    const index = this.rows.length;
    this.rows.push(row);
    this.previous.push(-1);
    if (this.fallback) return;
    if (!Number.isFinite(row.time)) {
      this.fallback = true;
      return;
    }
    const key = `${row.trialId}\u0001${row.values.join(",")}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      group = [];
      this.groups.set(key, group);
    }
    // First position whose time is later than the new row's (rows of equal time arrived earlier: they stay before it).
    let low = 0;
    let high = group.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.rows[group[mid] as number] as Pb2Row).time <= row.time) low = mid + 1;
      else high = mid;
    }
    const before = low > 0 ? (group[low - 1] as number) : -1;
    const after = low < group.length ? (group[low] as number) : -1;
    group.splice(low, 0, index);
    if (before >= 0) {
      this.previous[index] = before;
      if (row.time - (this.rows[before] as Pb2Row).time > 0) this.markUsable(index);
    }
    if (after >= 0) {
      // Its time is later than the new row's, so it is (or becomes) usable with the new row as predecessor.
      const wasUsable = (this.previous[after] as number) >= 0 && (this.rows[after] as Pb2Row).time - (this.rows[this.previous[after] as number] as Pb2Row).time > 0;
      this.previous[after] = index;
      if (!wasUsable) this.markUsable(after);
    }
  }

  /** What `pb2TrainingData(rows, donorId, maxRows)` returns for every row added so far. */
  trainingData(donorId: string): Pb2TrainingData {
    if (this.fallback) return pb2TrainingData(this.rows, donorId, this.maxRows);
    const total = this.usable.size;
    const first = Math.max(0, total - this.maxRows);
    const n = total - first;
    const k = this.rows[0]?.values.length ?? 0;
    const d = 2 + k;
    const x = new Float64Array(n * d);
    const y = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const index = this.usable.payloadAt(first + r);
      const row = this.rows[index] as Pb2Row;
      const before = this.rows[this.previous[index] as number] as Pb2Row;
      // The batch function's floats: change, then change / dt and reward - change.
      const change = row.reward - before.reward;
      x[r * d] = row.time;
      x[r * d + 1] = row.reward - change;
      for (let c = 0; c < k; c++) x[r * d + 2 + c] = row.values[c] as number;
      y[r] = change / (row.time - before.time);
    }
    let donorPoint: Pb2TrainingData["donorPoint"];
    const latest = this.latestUsable.get(donorId);
    if (latest !== undefined) {
      const row = this.rows[latest] as Pb2Row;
      if (this.usable.rankOf(-row.time, latest) >= first) {
        const change = row.reward - (this.rows[this.previous[latest] as number] as Pb2Row).reward;
        donorPoint = { time: row.time, rewardBefore: row.reward - change, reward: row.reward };
      }
    }
    return { x, y, n, donorPoint };
  }

  private markUsable(index: number): void {
    const row = this.rows[index] as Pb2Row;
    // Best first in the tree is the higher score: -time puts the earliest time first, then the earlier arrival.
    this.usable.insert(-row.time, index, index);
    const latest = this.latestUsable.get(row.trialId);
    if (latest === undefined) {
      this.latestUsable.set(row.trialId, index);
      return;
    }
    const other = (this.rows[latest] as Pb2Row).time;
    if (row.time > other || (row.time === other && index > latest)) this.latestUsable.set(row.trialId, index);
  }
}
