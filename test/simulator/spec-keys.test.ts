import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { benchmarkByName } from "../../benchmarks/objectives/index.ts";
import { clusterFromFlags } from "../../cli/cluster-flags.ts";
import { simulate, type ClusterSpec } from "../../simulator/index.ts";
import { resolveCluster } from "../../simulator/cluster-spec.ts";
import { writeTemp } from "../cli/_experiment-files.ts";

/** A misspelt option would otherwise be ignored and the run would use the default, silently. */
describe("cluster specs refuse unknown fields, wherever they come from", () => {
  it.each<[string, unknown, string]>([
    ["top level", { gpus: 8, premptionRate: 1 }, "cluster.premptionRate: unknown field; did you mean preemptionRate?"],
    ["a node type", { nodeTypes: [{ name: "a", gpus: 1, cpus: 1, count: 1, spto: true }] }, "cluster.nodeTypes[0].spto: unknown field; known: name, cpus, gpus, memoryGb,"],
    ["a storm", { storms: [{ atSeconds: 5, fraction: 0.5, type: "a" }] }, "cluster.storms[0].type: unknown field"],
    ["the autoscaler's fallback", { nodeTypes: [{ name: "a", gpus: 1, cpus: 1, maxCount: 2 }], autoscaler: { spotFallback: { window: 60 } } }, "cluster.autoscaler.spotFallback.window: unknown field; known: failures, windowSeconds"],
  ])("resolveCluster: %s", (_where, spec, message) => {
    expect(() => resolveCluster(spec as ClusterSpec)).toThrow(message);
  });

  it("simulate() refuses before anything runs", () => {
    const bench = benchmarkByName("branin", { maxIterations: 3 });
    expect(() => simulate({ objective: bench.objective, space: bench.space, metric: bench.metric, mode: bench.mode, trials: 2, cluster: { gpus: 8, stroms: [] } as ClusterSpec })).toThrow(
      "cluster.stroms: unknown field; did you mean storms?",
    );
  });

  it("tunelab sim --cluster FILE.json refuses too (the same check)", () => {
    const file = writeTemp(JSON.stringify({ nodeTypes: [{ name: "a", gpus: 8, cpus: 32, maxcount: 4 }] }), "cluster.json");
    writeFileSync(file, JSON.stringify({ nodeTypes: [{ name: "a", gpus: 8, cpus: 32, count: 1, maxcount: 4 }] }));
    const spec = clusterFromFlags({ gpus: "8", preemptionRate: "0", cluster: file });
    expect(() => resolveCluster(spec)).toThrow("cluster.nodeTypes[0].maxcount: unknown field; did you mean maxCount?");
  });
});
