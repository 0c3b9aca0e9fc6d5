import { describe, expect, it } from "vitest";
import { placeOn, SimNode } from "../../simulator/cluster.ts";
import { resolveCluster } from "../../simulator/index.ts";

const type = (gpus: number) => resolveCluster({ nodeTypes: [{ name: `g${gpus}`, cpus: 32, gpus, pricePerHour: 0, spot: false, count: 1 }] }).nodeTypes[0]!;

describe("cluster", () => {
  it("packs: places on the feasible node left with the least free GPU, keeping whole nodes free", () => {
    const nodes = [new SimNode(0, "n0", type(8), 0), new SimNode(1, "n1", type(8), 0)];
    nodes[1]!.freeGpu -= 6000; // n1 has 2 GPUs free
    expect(placeOn(nodes, { cpu: 1, gpu: 1 })?.id).toBe("n1");
    expect(placeOn(nodes, { cpu: 1, gpu: 4 })?.id).toBe("n0");
    expect(placeOn(nodes, { cpu: 1, gpu: 9 })).toBeUndefined();
  });

  it("prefers a node with a warm actor of the same shape (actor reuse)", () => {
    const nodes = [new SimNode(0, "n0", type(8), 0), new SimNode(1, "n1", type(8), 0)];
    nodes[0]!.freeGpu -= 6000;
    nodes[1]!.warm.set("1000:1000", 1);
    expect(placeOn(nodes, { cpu: 1, gpu: 1 })?.id).toBe("n1");
  });

  it("shares a GPU between fractional trials exactly", () => {
    const node = new SimNode(0, "n0", type(1), 0);
    for (let i = 0; i < 3; i++) {
      expect(placeOn([node], { cpu: 1, gpu: 1 / 3 })).toBe(node);
      node.freeGpu -= Math.round(1000 / 3);
      node.freeCpu -= 1000;
    }
    expect(node.freeGpu).toBe(1);
    expect(placeOn([node], { cpu: 1, gpu: 1 / 3 })).toBeUndefined();
  });

  it("lays GPUs out on nodes of 8 and names bad cluster fields", () => {
    const c = resolveCluster({ gpus: 20 });
    expect(c.nodeTypes.map((t) => [t.gpus, t.count])).toEqual([
      [8, 2],
      [4, 1],
    ]);
    expect(resolveCluster({ gpus: 8, preemptionRate: 1 }).nodeTypes[0]?.spot).toBe(true);
    expect(() => resolveCluster({ gpus: 0 })).toThrow("cluster.gpus: must be an integer >= 1, got 0");
    expect(() => resolveCluster({ preemptionRate: -1 })).toThrow("cluster.preemptionRate: must be a finite number >= 0, got -1");
    expect(() => resolveCluster({ nodeTypes: [{ name: "a", cpus: 1, gpus: 1, count: -1 }] })).toThrow("cluster.nodeTypes[0].count: must be an integer >= 0, got -1");
  });
});
