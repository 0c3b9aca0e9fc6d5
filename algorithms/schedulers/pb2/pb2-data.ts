/**
 * PB2's data (Ray Tune's pb2.py `_explore`): one row per perturbation point,
 * [trial, time, hyperparameters, reward], turned into training data for the GP:
 * for consecutive rows of the same trial with the same hyperparameters, the
 * change in reward per unit time (y) with the time and the reward before it.
 */
export interface Pb2Row {
  readonly trialId: string;
  readonly time: number;
  readonly values: readonly number[];
  /** sign * metric: higher is better. */
  readonly reward: number;
}

export interface Pb2TrainingData {
  /** Rows [time, reward before, values...], oldest first. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  /** The last [time, reward before] and [time, reward] of `donorId`, or undefined if it has no usable row. */
  readonly donorPoint: { readonly time: number; readonly rewardBefore: number; readonly reward: number } | undefined;
}

/** Ray keeps the last 1000 data points so the GP stays tractable. */
export const PB2_MAX_DATA = 1000;

export function pb2TrainingData(rows: readonly Pb2Row[], donorId: string, maxRows = PB2_MAX_DATA): Pb2TrainingData {
  // Stable sort by time, as pandas' sort_values on Time does for the groupby diff.
  const sorted = rows.map((row, i) => ({ row, i })).sort((a, b) => a.row.time - b.row.time || a.i - b.i);
  const lastOfGroup = new Map<string, Pb2Row>();
  const usable: Array<{ time: number; rewardBefore: number; values: readonly number[]; y: number; trialId: string; reward: number }> = [];
  for (const { row } of sorted) {
    const group = `${row.trialId}\u0001${row.values.join(",")}`;
    const previous = lastOfGroup.get(group);
    lastOfGroup.set(group, row);
    if (!previous) continue;
    const dt = row.time - previous.time;
    if (!(dt > 0)) continue;
    const change = row.reward - previous.reward;
    usable.push({ time: row.time, rewardBefore: row.reward - change, values: row.values, y: change / dt, trialId: row.trialId, reward: row.reward });
  }
  const kept = usable.slice(-maxRows);
  const k = rows[0]?.values.length ?? 0;
  const d = 2 + k;
  const x = new Float64Array(kept.length * d);
  const y = new Float64Array(kept.length);
  let donorPoint: Pb2TrainingData["donorPoint"];
  kept.forEach((u, r) => {
    x[r * d] = u.time;
    x[r * d + 1] = u.rewardBefore;
    for (let c = 0; c < k; c++) x[r * d + 2 + c] = u.values[c] as number;
    y[r] = u.y;
    if (u.trialId === donorId) donorPoint = { time: u.time, rewardBefore: u.rewardBefore, reward: u.reward };
  });
  return { x, y, n: kept.length, donorPoint };
}
