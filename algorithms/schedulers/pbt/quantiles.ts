/** A population member as PBT ranks it: `score` is sign * metric, higher is better. */
export interface ScoredMember {
  readonly id: string;
  /** Creation order, the tie-break (Ray sorts stably in insertion order). */
  readonly index: number;
  readonly score: number;
}

/**
 * Ray Tune's PBT quantiles: sort by score (ascending, stable), take
 * ceil(n * fraction) from each end, at most floor(n / 2) so the two never
 * overlap; fewer than two members give none.
 */
export function pbtQuantiles(members: readonly ScoredMember[], fraction: number): { lower: string[]; upper: string[] } {
  if (members.length <= 1) return { lower: [], upper: [] };
  const sorted = [...members].sort((a, b) => a.score - b.score || a.index - b.index);
  let size = Math.ceil(sorted.length * fraction);
  if (size > sorted.length / 2) size = Math.floor(sorted.length / 2);
  if (size === 0) return { lower: [], upper: [] };
  return {
    lower: sorted.slice(0, size).map((m) => m.id),
    upper: sorted.slice(sorted.length - size).map((m) => m.id),
  };
}
