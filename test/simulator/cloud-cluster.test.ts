import { describe, expect, it } from "vitest";
import { benchmarkByName } from "../../benchmarks/objectives/index.ts";
import { resolveCluster, simulate, type ClusterSpec, type SimulateOptions } from "../../simulator/index.ts";

const bench = benchmarkByName("hartmann6", { maxIterations: 30 });

function run(cluster: ClusterSpec, extra: Partial<SimulateOptions> = {}) {
  const events: Array<Record<string, unknown> & { type: string; t: number }> = [];
  const result = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: 48,
    seed: 3,
    cluster,
    checkInvariants: true,
    trace: (line) => events.push(JSON.parse(line)),
    ...extra,
  });
  return { ...result, events, of: (type: string) => events.filter((e) => e.type === type) };
}

const fixedLaunch = { kind: "fixed", seconds: 60 } as const;

describe("the autoscaler in the simulator", () => {
  it("scales up from nothing on pending demand, within maxCount, and every trial finishes", () => {
    const r = run({ nodeTypes: [{ name: "od8", cpus: 32, gpus: 8, pricePerHour: 24, maxCount: 3, launchDelay: fixedLaunch }] });
    expect(r.summary.trialStates.TERMINATED).toBe(48);
    expect(r.of("node_launch")).toHaveLength(3);
    expect(r.summary.nodesLaunched).toBe(3);
    // Nothing runs before the first node joins, 60 s after the request at t = 0.
    expect(r.of("start")[0]!.t).toBe(60);
    // Billed from the request: 3 nodes x 8 GPUs from t = 0.
    expect(r.summary.paidGpuHours).toBeCloseTo((3 * 8 * r.summary.simulatedSeconds) / 3600, 6);
    expect(r.summary.paidGpuUtilisation).toBeGreaterThan(0);
    expect(r.summary.paidGpuUtilisation).toBeLessThanOrEqual(1);
  });

  it("takes the cheapest type that fits: spot before on-demand", () => {
    const r = run({
      nodeTypes: [
        { name: "od8", cpus: 32, gpus: 8, pricePerHour: 24, maxCount: 2, launchDelay: fixedLaunch },
        { name: "spot8", cpus: 32, gpus: 8, pricePerHour: 8, spot: true, maxCount: 2, launchDelay: fixedLaunch },
      ],
    });
    const launched = r.of("node_launch").map((e) => e.nodeType);
    expect(launched.slice(0, 2)).toEqual(["spot8", "spot8"]);
    expect(r.summary.costOnDemandDollars).toBeGreaterThan(r.summary.costDollars);
  });

  it("terminates nodes idle past their timeout, never below minCount", () => {
    // One-GPU nodes: once every trial has started, a node whose trial ends has nothing left to run.
    const r = run({ nodeTypes: [{ name: "od1", cpus: 4, gpus: 1, pricePerHour: 3, minCount: 1, maxCount: 8, idleTimeoutSeconds: 10, launchDelay: fixedLaunch }] });
    const terminated = r.of("node_terminated");
    expect(terminated.length).toBeGreaterThan(0);
    for (const e of terminated) expect(e.idleSeconds).toBeGreaterThanOrEqual(10);
    expect(r.summary.idleNodeHours).toBeGreaterThan(0);
    // checkInvariants asserted after every autoscaler pass that the type stayed within [1, 4].
    expect(r.summary.trialStates.TERMINATED).toBe(48);
  });

  it("replaces lost spot nodes, and falls back to on-demand after repeated spot losses", () => {
    const r = run({
      storms: [{ atSeconds: 100, fraction: 1 }],
      autoscaler: { spotFallback: { failures: 2, windowSeconds: 3600 } },
      nodeTypes: [
        { name: "spot8", cpus: 32, gpus: 8, pricePerHour: 8, spot: true, maxCount: 2, launchDelay: fixedLaunch },
        { name: "od8", cpus: 32, gpus: 8, pricePerHour: 24, maxCount: 6, launchDelay: fixedLaunch },
      ],
    });
    expect(r.of("storm").map((e) => e.lost)).toEqual([2]);
    expect(r.of("spot_fallback").length).toBe(1);
    const fallbackAt = r.of("spot_fallback")[0]!.t;
    // After the fallback, launches go on demand.
    const after = r.of("node_launch").filter((e) => e.t >= fallbackAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((e) => e.nodeType === "od8")).toBe(true);
    expect(r.summary.trialStates.TERMINATED).toBe(48);
  });
});

describe("storms, notices and availability traces", () => {
  const spotCluster = (extra: ClusterSpec = {}): ClusterSpec => ({ nodeTypes: [{ name: "s8", cpus: 32, gpus: 8, pricePerHour: 8, onDemandPricePerHour: 24, spot: true, count: 2 }], replacementDelaySeconds: 60, ...extra });

  it("a storm takes round(fraction x n) spot nodes at its time; an AWS notice comes 120 s before and saves work", () => {
    const storms = [{ atSeconds: 150, fraction: 0.5 }];
    // Trials of 300 steps (1-3 s each) are still running when the node goes, so the notice has work to save.
    const long = { checkpointFrequency: 0, objective: benchmarkByName("hartmann6", { maxIterations: 300 }).objective };
    const bare = run(spotCluster({ storms }), long);
    const aws = run(spotCluster({ storms, provider: "aws" }), long);
    expect(bare.of("node_lost").map((e) => e.t)).toEqual([150]);
    expect(bare.of("preemption_notice")).toHaveLength(0);
    // The notice reaches the node at 30 s; each trial on it is told again at its last step boundary with time to save.
    expect(aws.of("preemption_notice")[0]).toMatchObject({ t: 30, secondsLeft: 120 });
    expect(aws.of("preemption_notice").slice(1).every((e) => e.t > 30 && e.t < 150 && Math.abs((e.secondsLeft as number) - (150 - e.t)) < 1e-5)).toBe(true);
    expect(aws.of("node_lost").map((e) => e.t)).toEqual([150]);
    expect(aws.summary.gpuSecondsSavedByNotice).toBeGreaterThan(0);
    expect(aws.summary.gpuSecondsLostToPreemption).toBeLessThan(bare.summary.gpuSecondsLostToPreemption);
    expect(bare.summary.trialStates.TERMINATED).toBe(48);
    expect(aws.summary.trialStates.TERMINATED).toBe(48);
  });

  it("replays an availability trace: nodes above the available count go, replacements wait for capacity, price follows the trace", () => {
    const csv = "time,type,available,price\n0,s8,2,8\n100,s8,1,4\n400,s8,2,\n";
    const r = run(spotCluster({ availabilityTrace: { csv } }));
    expect(r.of("capacity_drop")).toEqual([expect.objectContaining({ t: 100, nodeType: "s8", available: 1, lost: 1 })]);
    // The replacement comes due at 160 but there is no capacity until 400.
    expect(r.of("launch_failed").map((e) => [e.t, e.retryAt])).toEqual([[160, 400]]);
    expect(r.of("node_up").filter((e) => e.t > 0).map((e) => e.t)).toEqual([400]);
    expect(r.summary.trialStates.TERMINATED).toBe(48);
    // Cost: $8/h until 100 s, then $4/h, per node-second up.
    expect(r.summary.costDollars).toBeLessThan(r.summary.costOnDemandDollars / 3);
  });

  it("keeps a fixed cluster as it was: no launches, on-demand cost equals cost", () => {
    const r = run({ gpus: 16 });
    expect(r.summary.nodesLaunched).toBe(0);
    expect(r.of("node_launch")).toHaveLength(0);
    expect(r.summary.costOnDemandDollars).toBeCloseTo(r.summary.costDollars, 9);
    expect(r.summary.paidGpuHours).toBeCloseTo((16 * r.summary.simulatedSeconds) / 3600, 9);
  });
});

describe("cluster options are checked with one-line errors naming the field", () => {
  const cases: Array<[ClusterSpec, string]> = [
    [{ nodeTypes: [{ name: "a", cpus: 1, gpus: 1, minCount: 3, maxCount: 2 }] }, "cluster.nodeTypes[0].minCount: must be <= maxCount (2), got 3"],
    [{ nodeTypes: [{ name: "a", cpus: 1, gpus: 1, count: 5, maxCount: 2 }] }, "cluster.nodeTypes[0].count: must be between minCount (0) and maxCount (2), got 5"],
    [{ nodeTypes: [{ name: "a", cpus: 1, gpus: 1, count: 1, idleTimeoutSeconds: 5 }] }, "cluster.nodeTypes[0].idleTimeoutSeconds: applies to autoscaled types only; give maxCount"],
    [{ nodeTypes: [{ name: "a", cpus: 1, gpus: 1 }] }, "cluster.nodeTypes[0].count: is required for a fixed-size type"],
    [{ nodeTypes: [{ name: "a", cpus: 1, gpus: 1, count: 1, interruptionFrequency: 0.1 }] }, "cluster.nodeTypes[0].interruptionFrequency: applies to spot types only"],
    [{ nodeTypes: [{ name: "a", cpus: 1, gpus: 1, count: 1 }, { name: "a", cpus: 1, gpus: 1, count: 1 }] }, 'cluster.nodeTypes: names type "a" twice'],
    [{ storms: [{ atSeconds: 1, fraction: 0.5, nodeType: "zz" }] }, 'cluster.storms[0].nodeType: names no node type ("zz"; types: gpu8)'],
    [{ availabilityTrace: [{ time: 0, type: "zz", available: 1 }] }, 'cluster.availabilityTrace: names node type "zz", which the cluster does not have'],
    [{ autoscaler: {} }, "cluster.autoscaler: needs a node type with maxCount"],
    [{ provider: "ibm" as never }, 'cluster.provider: got unknown name "ibm"; known: aws, gcp, azure'],
    [{ spotDiscount: 1 }, "cluster.spotDiscount: must be a finite number >= 0 and <= 0.99, got 1"],
    [{ interruptionFrequency: 2 }, "cluster.interruptionFrequency: must be a finite number >= 0 and <= 0.999, got 2"],
  ];
  it.each(cases)("%j", (spec, message) => {
    expect(() => resolveCluster(spec)).toThrow(message);
  });

  it("takes the provider's notice unless one is given, and prices spot off on-demand", () => {
    expect(resolveCluster({ provider: "gcp" }).preemptionNoticeSeconds).toBe(30);
    expect(resolveCluster({ provider: "aws", preemptionNoticeSeconds: 5 }).preemptionNoticeSeconds).toBe(5);
    const [t] = resolveCluster({ spotDiscount: 0.7, nodeTypes: [{ name: "s", cpus: 1, gpus: 1, spot: true, onDemandPricePerHour: 10, count: 1 }] }).nodeTypes;
    expect(t!.pricePerHour).toBeCloseTo(3, 12);
    const [d] = resolveCluster({ interruptionFrequency: 0.2, gpus: 8 }).nodeTypes;
    expect(d!.spot).toBe(true);
    expect(d!.preemptionRate).toBeCloseTo(-Math.log(0.8) / 730, 15);
  });
});
