import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlacementIndex, placeOn, SimNode, toUnits } from "../../simulator/cluster.ts";
import { resolveCluster } from "../../simulator/index.ts";

const type = (gpus: number, cpus: number) => resolveCluster({ nodeTypes: [{ name: `g${gpus}`, cpus, gpus, pricePerHour: 0, spot: true, count: 1 }] }).nodeTypes[0]!;
const shapes = [
  { cpu: 1, gpu: 1 },
  { cpu: 4, gpu: 0.5 },
  { cpu: 2, gpu: 0 },
  { cpu: 8, gpu: 4 },
] as const;

describe("PlacementIndex", () => {
  it("chooses the node placeOn's scan chooses, through placements, releases, warm actors, notices and losses", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(1, 2, 4, 8), fc.constantFrom(2, 8, 32)), { minLength: 1, maxLength: 12 }),
        fc.array(fc.record({ op: fc.constantFrom("place", "place", "place", "release", "warm", "doom", "lose", "add"), shape: fc.nat(3), pick: fc.nat() }), {
          maxLength: 120,
        }),
        (nodeTypes, ops) => {
          const nodes: SimNode[] = [];
          const index = new PlacementIndex();
          const addNode = (gpus: number, cpus: number) => {
            const node = new SimNode(nodes.length, `n${nodes.length}`, type(gpus, cpus), 0);
            nodes.push(node);
            index.add(node);
          };
          for (const [g, c] of nodeTypes) addNode(g, c);
          const placed: Array<{ node: SimNode; cpu: number; gpu: number; shape: number }> = [];
          let warm: SimNode[] = [];
          for (const { op, shape, pick } of ops) {
            const resources = shapes[shape] as { cpu: number; gpu: number };
            if (op === "place") {
              const expected = placeOn(nodes, resources);
              expect(index.place(resources, warm)).toBe(expected);
              expect(index.canPlace(toUnits(resources.cpu), toUnits(resources.gpu))).toBe(nodes.some((n) => n.fits(toUnits(resources.cpu), toUnits(resources.gpu))));
              if (!expected) continue;
              const cpu = toUnits(resources.cpu);
              const gpu = toUnits(resources.gpu);
              index.update(expected, (n) => {
                n.freeCpu -= cpu;
                n.freeGpu -= gpu;
              });
              placed.push({ node: expected, cpu, gpu, shape });
            } else if (op === "release" || op === "warm") {
              if (placed.length === 0) continue;
              const [p] = placed.splice(pick % placed.length, 1) as [(typeof placed)[number]];
              index.update(p.node, (n) => {
                n.freeCpu += p.cpu;
                n.freeGpu += p.gpu;
              });
              if (op === "warm" && p.node.alive) {
                const key = `${p.cpu}:${p.gpu}`;
                p.node.warm.set(key, (p.node.warm.get(key) ?? 0) + 1);
                warm.push(p.node);
              } else {
                // An event ends: warm actors not reused shut down.
                for (const n of warm) n.warm.clear();
                warm = [];
              }
            } else if (op === "doom" || op === "lose") {
              const node = nodes[pick % nodes.length] as SimNode;
              index.update(node, (n) => (op === "doom" ? (n.doomed = true) : (n.alive = false)));
            } else {
              const [g, c] = nodeTypes[pick % nodeTypes.length] as [number, number];
              addNode(g, c);
            }
          }
        },
      ),
    );
  });
});
