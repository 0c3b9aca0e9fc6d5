import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root, writeTemp } from "./_experiment-files.ts";

function tunelab(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/tunelab.js"), ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const example = join(root, "examples/spot-storm.yaml");

describe("tunelab run with a kind: simulation file (the command line)", () => {
  it("runs examples/spot-storm.yaml in the simulator: a storm with AWS notices, on autoscaled spot nodes", () => {
    const r = tunelab("run", "--json", example);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ benchmark: "hartmann6", searcher: "random", scheduler: "asha", trials: 256 });
    expect(summary.preemptions).toBeGreaterThan(0);
    expect(summary.gpuSecondsSavedByNotice).toBeGreaterThan(0);
    expect(summary.costDollars).toBeLessThan(summary.costOnDemandDollars);
  });

  it("--dry-run --json prints the resolved simulation with the cluster's defaults, and runs nothing", () => {
    const r = tunelab("run", "--dry-run", "--json", example);
    expect(r.code).toBe(0);
    const document = JSON.parse(r.stdout);
    expect(document.cluster.preemptionNoticeSeconds).toBe(120);
    expect(document.cluster.nodeTypes[0]).toMatchObject({ name: "gpu8-spot", pricePerHour: 7.992, interruptionFrequency: 0.1, minCount: 1, maxCount: 8 });
  });

  it("a bad cluster value exits 2 with one 'tunelab:' line naming its path, nothing on stdout", () => {
    const file = writeTemp("kind: simulation\nobjective: branin\ntrials: 4\ncluster:\n  nodeTypes:\n    - { name: a, gpus: 8, cpus: 32, spot: true, minCount: 4, maxCount: 2 }\n", "sim.yaml");
    const r = tunelab("run", file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("tunelab: cluster.nodeTypes[0].minCount: must be <= maxCount (2), got 4\n");
  });
});
