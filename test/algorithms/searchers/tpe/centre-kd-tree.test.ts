/**
 * The k-d tree of multivariate TPE's centres (centre-kd-tree.ts, issue 14): after any order of
 * insertions (sorted, clustered, all one point) every point sits in exactly one leaf on the
 * side its node's split sends it, every box is the tight box of its points, the depth stays
 * logarithmic, and a laid membership gives each node its member count and largest value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ABSENT, CentreKdTree, OUTSIDE } from "../../../../algorithms/searchers/tpe/centre-kd-tree.ts";
import { parkMiller } from "./fixtures.ts";

/** The tree's invariants broken (empty: none), and its depth. */
function checkTree(tree: CentreKdTree): { broken: string[]; depth: number } {
  const d = tree.d;
  const broken: string[] = [];
  const walk = (node: number, depth: number): { slots: number[]; depth: number } => {
    let slots: number[];
    let deepest = depth;
    if (tree.isLeaf(node)) {
      slots = Array.from((tree.leafSlots[node] as Int32Array).subarray(0, tree.leafLength[node] as number));
    } else {
      const l = walk(tree.left[node] as number, depth + 1);
      const r = walk(tree.right[node] as number, depth + 1);
      const dim = tree.splitDim[node] as number;
      const split = tree.splitValue[node] as number;
      if (l.slots.length === 0 || r.slots.length === 0) broken.push(`node ${node}: an empty side`);
      if (l.slots.some((s) => !((tree.coords[s * d + dim] as number) <= split))) broken.push(`node ${node}: a left point above the split`);
      if (r.slots.some((s) => !((tree.coords[s * d + dim] as number) > split))) broken.push(`node ${node}: a right point at or below the split`);
      slots = l.slots.concat(r.slots);
      deepest = Math.max(l.depth, r.depth);
    }
    if (tree.total[node] !== slots.length) broken.push(`node ${node}: total ${tree.total[node]}, ${slots.length} points`);
    for (let p = 0; p < d; p++) {
      let low = Infinity;
      let high = -Infinity;
      for (const s of slots) {
        low = Math.min(low, tree.coords[s * d + p] as number);
        high = Math.max(high, tree.coords[s * d + p] as number);
      }
      if (tree.boxLow[node * d + p] !== low || tree.boxHigh[node * d + p] !== high) broken.push(`node ${node}: box not tight in ${p}`);
    }
    return { slots, depth: deepest };
  };
  const { slots, depth } = walk(tree.root, 1);
  if (new Set(slots).size !== slots.length || slots.length !== tree.size) broken.push("a point in no leaf or in two");
  return { broken, depth };
}

describe("CentreKdTree", () => {
  it("keeps every point in one leaf, tight boxes and a logarithmic depth, in any insertion order, built at once or not", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 6),
        fc.integer({ min: 1, max: 1200 }),
        fc.constantFrom("uniform", "sorted", "clustered", "one-point", "few-values"),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (d, n, layout, restored, seed) => {
          const random = parkMiller(seed);
          const columns = Array.from({ length: d }, () => new Float64Array(n));
          for (let i = 0; i < n; i++) {
            for (let p = 0; p < d; p++) {
              const u = random();
              (columns[p] as Float64Array)[i] =
                layout === "sorted" ? (p === 0 ? i / n : u) : layout === "clustered" ? (u < 0.8 ? 0.3 + 0.01 * random() : u) : layout === "one-point" ? 0.5 : layout === "few-values" ? Math.floor(u * 3) / 2 : u;
            }
          }
          const tree = new CentreKdTree(new Array(d).fill(0), new Array(d).fill(1));
          // A block inactive (NaN) now and then; one trial at a time, as the searcher adds them,
          // or (restored) the first half at once, built in one go.
          for (let i = 0; i < n; i++) if (i % 97 === 5) (columns[0] as Float64Array)[i] = Number.NaN;
          const start = restored ? Math.floor(n / 2) : 0;
          if (start > 0) tree.extend(columns, start);
          for (let i = start; i < n; i++) tree.extend(columns, i + 1);
          const expected = new Int32Array(n);
          let size = 0;
          for (let i = 0; i < n; i++) expected[i] = Number.isNaN((columns[0] as Float64Array)[i] as number) ? ABSENT : size++;
          expect(tree.size).toBe(size);
          expect(Array.from(tree.slotOfPosition.subarray(0, n))).toEqual(Array.from(expected));
          const { broken, depth } = checkTree(tree);
          expect(broken).toEqual([]);
          // Balanced within the scapegoat factor (coincident points stay in one leaf).
          expect(depth).toBeLessThanOrEqual(4 + Math.max(0, Math.ceil(Math.log(n / 8) / Math.log(1 / 0.75))));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("gives each node its member count and largest member value, for any membership", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 2 ** 30 }), (n, seed) => {
        const random = parkMiller(seed);
        const columns = [Float64Array.from({ length: n }, random), Float64Array.from({ length: n }, random)];
        const tree = new CentreKdTree([0, 0], [1, 1]);
        tree.extend(columns, n);
        for (let round = 0; round < 3; round++) {
          const slots = Int32Array.from(Array.from({ length: n }, (_, i) => i).filter(() => random() < 0.7));
          const values = Float64Array.from(slots, () => -10 * random());
          tree.setMembers(slots, slots.length, values);
          const componentOf = new Map(Array.from(slots, (slot, c) => [slot, c]));
          let wrong = 0;
          const check = (node: number): { count: number; most: number } => {
            let count = 0;
            let most = -Infinity;
            if (tree.isLeaf(node)) {
              for (const slot of (tree.leafSlots[node] as Int32Array).subarray(0, tree.leafLength[node] as number)) {
                const c = componentOf.get(slot) ?? -1;
                if (tree.componentOfSlot[slot] !== c) wrong++;
                if (c < 0) continue;
                count++;
                most = Math.max(most, values[c] as number);
              }
            } else {
              const l = check(tree.left[node] as number);
              const r = check(tree.right[node] as number);
              count = l.count + r.count;
              most = Math.max(l.most, r.most);
            }
            expect(tree.members[node]).toBe(count);
            expect(tree.maxUpper[node]).toBe(most);
            return { count, most };
          };
          expect(check(tree.root).count).toBe(slots.length);
          expect(wrong).toBe(0);
        }
      }),
      { numRuns: 30 },
    );
  });

  it("marks a centre outside the bounds, or not finite, and leaves it out of the tree", () => {
    const tree = new CentreKdTree([0, 0], [1, 1]);
    tree.extend([Float64Array.of(0.5, 1.5, 0.2, 0.3), Float64Array.of(0.5, 0.5, Number.POSITIVE_INFINITY, 1)], 4);
    expect(Array.from(tree.slotOfPosition.subarray(0, 4))).toEqual([0, OUTSIDE, OUTSIDE, 1]);
    expect(tree.outside).toEqual([1, 2]);
    expect(tree.size).toBe(2);
  });
});
