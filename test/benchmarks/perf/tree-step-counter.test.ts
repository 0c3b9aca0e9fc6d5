import { afterAll, describe, expect, it } from "vitest";
import { OrderStatisticTree } from "../../../algorithms/math/order-statistic-tree.ts";
import { enterCounted, installTreeStepCounter, leaveCounted, resetTreeSteps, totalTreeSteps, treeSteps, uninstallTreeStepCounter } from "../../../benchmarks/perf/tree-step-counter.ts";

describe("tree-step-counter", () => {
  installTreeStepCounter();
  // Modules are shared with the other test files of the worker: leave the tree as it was.
  afterAll(uninstallTreeStepCounter);

  it("counts a tree's steps inside counted calls only, and about log n of them per operation", () => {
    const tree = new OrderStatisticTree();
    resetTreeSteps(true);
    for (let i = 0; i < 1000; i++) tree.insert(i, i, i);
    expect(totalTreeSteps()).toBe(0);
    enterCounted();
    for (let i = 1000; i < 2000; i++) tree.insert((i * 7919) % 2003, i, i);
    tree.rankOf(500, 0);
    tree.payloadAt(10);
    tree.remove(1, 1);
    leaveCounted();
    // Expected treap depth is about 2 ln n (15 at 2,000 entries): per insert, a few comparisons and split levels.
    const perInsert = (treeSteps.comparisons + treeSteps.splitMergeLevels) / 1000;
    expect(perInsert).toBeGreaterThan(2);
    expect(perInsert).toBeLessThan(60);
    expect(treeSteps.ranks).toBe(1);
    expect(treeSteps.selects).toBe(1);
    const counted = totalTreeSteps();
    tree.insert(-1, -1, 0);
    expect(totalTreeSteps()).toBe(counted);
    resetTreeSteps(false);
    expect(totalTreeSteps()).toBe(0);
  });

  it("puts the tree's own methods back: nothing counts after uninstalling", () => {
    uninstallTreeStepCounter();
    const tree = new OrderStatisticTree();
    resetTreeSteps(true);
    enterCounted();
    for (let i = 0; i < 100; i++) tree.insert(i, i, i);
    leaveCounted();
    expect(totalTreeSteps()).toBe(0);
    installTreeStepCounter();
    enterCounted();
    tree.rankOf(5, 5);
    leaveCounted();
    expect(treeSteps.ranks).toBe(1);
    resetTreeSteps(false);
  });
});
