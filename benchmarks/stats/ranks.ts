/** Ranks 1..n of `values`, ties sharing the average of the ranks they span (scipy's rankdata "average"). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[(order[k] as readonly [number, number])[1]] = rank;
    i = j + 1;
  }
  return ranks;
}

/**
 * Average rank of each method across tasks (lower is better): `scores[task][method]`
 * is a loss-like score (a regret); methods are ranked within each task, ties share
 * their average rank, and the ranks are averaged over tasks.
 */
export function meanRanks(scores: readonly (readonly number[])[]): number[] {
  if (scores.length === 0) return [];
  const methods = (scores[0] as readonly number[]).length;
  const sums = new Array<number>(methods).fill(0);
  for (const row of scores) {
    if (row.length !== methods) throw new RangeError(`meanRanks: every task needs ${methods} scores, got ${row.length}`);
    averageRanks(row).forEach((r, m) => (sums[m] = (sums[m] as number) + r));
  }
  return sums.map((s) => s / scores.length);
}
