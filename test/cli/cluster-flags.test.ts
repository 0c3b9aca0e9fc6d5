import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clusterFromFlags } from "../../cli/cluster-flags.ts";
import { resolveCluster } from "../../simulator/index.ts";

const base = { gpus: "8", preemptionRate: "0" };
const dir = mkdtempSync(join(tmpdir(), "tunelab-cluster-flags-"));

describe("tunelab sim's cluster flags", () => {
  it("keeps the default cluster as before without cloud flags", () => {
    expect(clusterFromFlags({ ...base, gpus: "16" })).toEqual({ gpus: 16 });
  });

  it("takes storms (repeatable), the provider's notice, the interruption bucket and the spot discount", () => {
    const spec = clusterFromFlags({ ...base, storm: ["0.9@600", "0.5@1200:gpu8"], provider: "aws", interruptionFrequency: "0.075", spotDiscount: "0.7" });
    expect(spec).toMatchObject({ storms: [{ fraction: 0.9, atSeconds: 600 }, { fraction: 0.5, atSeconds: 1200, nodeType: "gpu8" }], provider: "aws", interruptionFrequency: 0.075, spotDiscount: 0.7 });
    const resolved = resolveCluster(spec);
    expect(resolved.preemptionNoticeSeconds).toBe(120);
    expect(resolved.nodeTypes[0]!.spot).toBe(true);
    expect(resolved.nodeTypes[0]!.pricePerHour).toBeCloseTo(24 * 0.3, 12);
  });

  it("--max-nodes autoscales 8-GPU nodes, with an on-demand fallback type on a spot market", () => {
    expect(resolveCluster(clusterFromFlags({ ...base, maxNodes: "4", minNodes: "1" })).nodeTypes.map((t) => [t.name, t.spot, t.minCount, t.maxCount])).toEqual([["gpu8", false, 1, 4]]);
    expect(resolveCluster(clusterFromFlags({ ...base, maxNodes: "4", storm: ["0.9@600"] })).nodeTypes.map((t) => [t.name, t.spot, t.maxCount])).toEqual([
      ["gpu8-spot", true, 4],
      ["gpu8", false, 4],
    ]);
  });

  it("reads a JSON cluster file and an availability CSV", () => {
    const file = join(dir, "cluster.json");
    writeFileSync(file, JSON.stringify({ nodeTypes: [{ name: "s", cpus: 8, gpus: 2, spot: true, maxCount: 3 }] }));
    const csv = join(dir, "avail.csv");
    writeFileSync(csv, "time,type,available\n0,s,2\n");
    const spec = clusterFromFlags({ ...base, cluster: file, availabilityTrace: csv });
    expect(resolveCluster(spec).availability?.available("s", 10)).toBe(2);
  });

  it("refuses bad input in one line naming the flag", () => {
    expect(() => clusterFromFlags({ ...base, storm: ["lots"] })).toThrow("--storm: must be FRACTION@SECONDS[:TYPE]");
    expect(() => clusterFromFlags({ ...base, provider: "oracle" })).toThrow('--provider: got unknown name "oracle"; known: aws, gcp, azure');
    expect(() => clusterFromFlags({ ...base, interruptionFrequency: "20%" })).toThrow("--interruption-frequency");
    expect(() => clusterFromFlags({ ...base, minNodes: "1" })).toThrow("--min-nodes: needs --max-nodes");
    expect(() => clusterFromFlags({ ...base, maxNodes: "2", minNodes: "3" })).toThrow("--min-nodes: must be <= --max-nodes (2), got 3");
    expect(() => clusterFromFlags({ ...base, cluster: join(dir, "missing.json") })).toThrow(/--cluster: cannot read ".*missing.json": no such file/);
    const notJson = join(dir, "bad.json");
    writeFileSync(notJson, "{ nodeTypes: ");
    expect(() => clusterFromFlags({ ...base, cluster: notJson })).toThrow(/--cluster: ".*bad.json" is not JSON/);
    const csv = join(dir, "bad.csv");
    writeFileSync(csv, "time,type,available\n0,gpu8,x\n");
    expect(() => clusterFromFlags({ ...base, availabilityTrace: csv })).toThrow('--availability-trace line 2 column available: must be a number, got "x"');
  });
});
