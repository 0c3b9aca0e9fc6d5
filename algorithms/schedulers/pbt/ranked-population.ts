import { OrderStatisticTree } from "../../math/order-statistic-tree.ts";

/** Who is in PBT's bottom and top quantiles, and the k-th of the top (ascending score, as Ray's sorted list). */
export interface QuantileView {
  readonly upperSize: number;
  inUpper(trialId: string): boolean;
  inLower(trialId: string): boolean;
  upperAt(k: number): string;
}

/** The quantiles as `pbtQuantiles` lists them (the synchronous mode and `currentQuantiles`). */
export function quantileLists(lower: readonly string[], upper: readonly string[]): QuantileView {
  return {
    upperSize: upper.length,
    inUpper: (id) => upper.includes(id),
    inLower: (id) => lower.includes(id),
    upperAt: (k) => upper[k] as string,
  };
}

/**
 * Entries (trial, score) ranked by ascending score, then creation index. For
 * asynchronous PBT: the live, scored population, with the same quantiles
 * as `pbtQuantiles` (ascending score, creation order among equal scores;
 * ceil(n * fraction) at each end, at most floor(n / 2)) read with rank queries
 * in O(log n) instead of a sort of the whole population per perturbation.
 * Key (-score, index) in the order-statistic tree: its rank 0 is the lowest
 * score, earliest trial first. Also the candidates by their `timeAttr` (the
 * one PBT runs next is the lowest).
 */
export class RankedPopulation {
  private readonly tree = new OrderStatisticTree();
  /** trial id -> [score, index] of its entry. */
  private readonly entries = new Map<string, [number, number]>();
  private readonly idOf = new Map<number, string>();

  get size(): number {
    return this.tree.size;
  }

  /** A score that cannot be ranked (NaN) breaks the order: the caller then sorts, as before. */
  static rankable(score: number): boolean {
    return !Number.isNaN(score);
  }

  set(trialId: string, index: number, score: number): void {
    this.delete(trialId);
    this.entries.set(trialId, [score, index]);
    this.idOf.set(index, trialId);
    this.tree.insert(-score, index, index);
  }

  delete(trialId: string): void {
    const entry = this.entries.get(trialId);
    if (!entry) return;
    this.tree.remove(-entry[0], entry[1]);
    this.entries.delete(trialId);
    this.idOf.delete(entry[1]);
  }

  clear(): void {
    this.tree.clear();
    this.entries.clear();
    this.idOf.clear();
  }

  /** The entry of lowest score (the earliest trial among equals). */
  lowest(): string | undefined {
    return this.tree.size === 0 ? undefined : this.idOf.get(this.tree.payloadAt(0));
  }

  quantiles(fraction: number): QuantileView {
    const n = this.tree.size;
    let size = n <= 1 ? 0 : Math.ceil(n * fraction);
    if (size > n / 2) size = Math.floor(n / 2);
    const rank = (id: string): number => {
      const entry = this.entries.get(id);
      return entry ? this.tree.rankOf(-entry[0], entry[1]) : -1;
    };
    return {
      upperSize: size,
      inUpper: (id) => size > 0 && rank(id) >= n - size,
      inLower: (id) => {
        const r = rank(id);
        return r >= 0 && r < size;
      },
      upperAt: (k) => this.idOf.get(this.tree.payloadAt(n - size + k)) as string,
    };
  }
}
