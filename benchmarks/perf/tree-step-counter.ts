import { OrderStatisticTree } from "../../algorithms/math/order-statistic-tree.ts";

/**
 * Counts the steps of every `OrderStatisticTree` (ASHA's rungs, the median rule's running
 * means, PBT's ranking, PB2's data index, the simulator's placement buckets) while a counted
 * call is in progress (issue 14): the O(log n) targets checked by counting, which holds on a
 * loaded machine, instead of only by timing, which also measures the memory hierarchy.
 *
 * Steps: key comparisons (`before`: the paths of insert, remove and rank), `split` and
 * `merge` levels (one recursive call each), `rankOf` calls and `select` paths. The counters
 * are wrappers on the tree's prototype installed by `installTreeStepCounter`, so the library
 * carries none; they slow every tree step, so time a separate run without counting.
 */
export interface TreeSteps {
  comparisons: number;
  splitMergeLevels: number;
  ranks: number;
  selects: number;
}

export const treeSteps: TreeSteps = { comparisons: 0, splitMergeLevels: 0, ranks: 0, selects: 0 };
let inside = 0;
let enabled = false;
/** The tree's own methods while the counters are installed (to put back). */
let originals: Array<[string, Method]> | undefined;

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** Wraps the tree's prototype methods (once per process). Counting starts disabled. */
export function installTreeStepCounter(): void {
  if (originals !== undefined) return;
  originals = [];
  const tree = OrderStatisticTree.prototype as unknown as Record<string, Method>;
  const counted: Array<[string, keyof TreeSteps]> = [
    ["before", "comparisons"],
    ["split", "splitMergeLevels"],
    ["merge", "splitMergeLevels"],
    ["rankOf", "ranks"],
    ["select", "selects"],
  ];
  for (const [name, field] of counted) {
    const original = tree[name];
    // A renamed private method would otherwise count nothing, silently.
    if (typeof original !== "function") throw new Error(`tree-step-counter: OrderStatisticTree has no method ${name}`);
    originals.push([name, original as Method]);
    tree[name] = function (this: unknown, ...args: unknown[]): unknown {
      if (enabled && inside > 0) treeSteps[field]++;
      return (original as Method).apply(this, args);
    };
  }
}

/** Puts the tree's own methods back (a test process shares its modules with other tests). */
export function uninstallTreeStepCounter(): void {
  if (originals === undefined) return;
  const tree = OrderStatisticTree.prototype as unknown as Record<string, Method>;
  for (const [name, original] of originals) tree[name] = original;
  originals = undefined;
}

/** Turns counting on or off and zeroes the counts. */
export function resetTreeSteps(enable: boolean): void {
  enabled = enable;
  treeSteps.comparisons = 0;
  treeSteps.splitMergeLevels = 0;
  treeSteps.ranks = 0;
  treeSteps.selects = 0;
}

/** The sum of the counts. */
export function totalTreeSteps(): number {
  return treeSteps.comparisons + treeSteps.splitMergeLevels + treeSteps.ranks + treeSteps.selects;
}

/** From here to the matching `leaveCounted`, tree steps count (when enabled); nested calls count once. */
export function enterCounted(): void {
  inside++;
}

export function leaveCounted(): void {
  inside--;
}
