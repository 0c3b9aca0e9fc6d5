import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OrderStatisticTree } from "../../../algorithms/math/order-statistic-tree.ts";

type Entry = { score: number; tie: number; payload: number };
const bestFirst = (a: Entry, b: Entry) => b.score - a.score || a.tie - b.tie;

describe("OrderStatisticTree", () => {
  it("answers rank and select like a sorted array, through inserts and removals", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            remove: fc.boolean(),
            // Few distinct scores, so ties (broken by `tie`) are common.
            score: fc.integer({ min: -5, max: 5 }).map((v) => v / 2),
            pick: fc.nat(),
          }),
          { maxLength: 200 },
        ),
        (ops) => {
          const tree = new OrderStatisticTree();
          const model: Entry[] = [];
          ops.forEach((op, i) => {
            if (op.remove && model.length > 0) {
              const victim = model[op.pick % model.length] as Entry;
              expect(tree.remove(victim.score, victim.tie)).toBe(true);
              model.splice(model.indexOf(victim), 1);
            } else {
              tree.insert(op.score, i, i * 7);
              model.push({ score: op.score, tie: i, payload: i * 7 });
            }
            model.sort(bestFirst);
            expect(tree.size).toBe(model.length);
          });
          model.forEach((e, rank) => {
            expect(tree.scoreAt(rank)).toBe(e.score);
            expect(tree.tieAt(rank)).toBe(e.tie);
            expect(tree.payloadAt(rank)).toBe(e.payload);
            expect(tree.rankOf(e.score, e.tie)).toBe(rank);
          });
          // Rank of a key not in the tree: how many entries come before it.
          expect(tree.rankOf(0, 0.5)).toBe(model.filter((e) => e.score > 0 || (e.score === 0 && e.tie < 0.5)).length);
          expect(tree.remove(99, 0)).toBe(false);
          expect(tree.size).toBe(model.length);
        },
      ),
    );
  });

  it("refuses a rank outside the tree", () => {
    const tree = new OrderStatisticTree();
    tree.insert(1, 0);
    expect(() => tree.scoreAt(1)).toThrow("rank 1 outside 0..0");
  });

  it("stays shallow on sorted input (deterministic priorities, no random stream)", () => {
    const tree = new OrderStatisticTree();
    for (let i = 0; i < 100_000; i++) tree.insert(i, i);
    // A degenerate (list-shaped) treap would overflow the stack in the recursive split.
    expect(tree.scoreAt(0)).toBe(99_999);
    expect(tree.rankOf(50_000, 50_000)).toBe(49_999);
    // Removals merge the removed node's children (recursive too): the even keys go, in order.
    for (let i = 0; i < 100_000; i += 2) expect(tree.remove(i, i)).toBe(true);
    expect(tree.size).toBe(50_000);
    expect(tree.scoreAt(0)).toBe(99_999);
    expect(tree.scoreAt(49_999)).toBe(1);
    expect(tree.rankOf(50_001, 50_001)).toBe(24_999);
  });
});
