import { describe, expect, it } from "vitest";
import { planScaleUp, SpotFailureWindow, trialsPerNode } from "../../simulator/autoscaler.ts";
import { checkAutoscaler } from "../../simulator/autoscaler-spec.ts";
import { resolveCluster } from "../../simulator/index.ts";

const cluster = resolveCluster({
  nodeTypes: [
    { name: "od8", cpus: 32, gpus: 8, pricePerHour: 24, maxCount: 3 },
    { name: "spot8", cpus: 32, gpus: 8, pricePerHour: 8, spot: true, maxCount: 2 },
    { name: "spot1", cpus: 4, gpus: 1, pricePerHour: 1, spot: true, maxCount: 10 },
  ],
});
const types = cluster.nodeTypes;
const config = checkAutoscaler("a", {});
const base = {
  config,
  types,
  counts: [0, 0, 0],
  prices: types.map((t) => t.pricePerHour),
  inFlightTrials: 0,
  launchesInFlight: 0,
  nodesUp: 0,
  cpu: 1000,
  gpu: 1000,
  avoidSpot: false,
};

describe("the autoscaler's scale-up (Ray: cheapest type that fits the pending demand)", () => {
  it("launches the cheapest type that fits the shape", () => {
    expect(planScaleUp({ ...base, demandTrials: 1 })).toEqual([2]);
    // A 4-GPU trial does not fit spot1: the cheapest that fits is spot8, then on-demand when spot8 is at its max.
    expect(planScaleUp({ ...base, gpu: 4000, demandTrials: 6 })).toEqual([1, 1, 0]);
  });

  it("never goes over a type's maxCount, and stops when no type has room", () => {
    const plan = planScaleUp({ ...base, gpu: 8000, demandTrials: 100, config: { ...config, upscalingSpeed: 100 }, nodesUp: 10 });
    expect(plan.filter((i) => i === 1)).toHaveLength(2);
    expect(plan.filter((i) => i === 0)).toHaveLength(3);
    expect(plan).toHaveLength(5);
    expect(planScaleUp({ ...base, gpu: 8000, demandTrials: 100, counts: [3, 2, 0] })).toEqual([]);
  });

  it("counts the launches in flight as capacity on the way", () => {
    expect(planScaleUp({ ...base, demandTrials: 8, inFlightTrials: 8 })).toEqual([]);
    expect(planScaleUp({ ...base, demandTrials: 9, inFlightTrials: 8 })).toEqual([2]);
  });

  it("keeps at most max(5, upscalingSpeed x nodes up) launches in flight", () => {
    expect(planScaleUp({ ...base, demandTrials: 100 })).toHaveLength(5);
    expect(planScaleUp({ ...base, demandTrials: 100, nodesUp: 8, config: { ...config, upscalingSpeed: 1 } })).toHaveLength(8);
    expect(planScaleUp({ ...base, demandTrials: 100, nodesUp: 8, launchesInFlight: 6 })).toHaveLength(2);
  });

  it("launches on-demand while falling back from spot, and spot only if nothing else fits", () => {
    expect(planScaleUp({ ...base, demandTrials: 1, avoidSpot: true })).toEqual([0]);
    const spotOnly = resolveCluster({ nodeTypes: [{ name: "s", cpus: 4, gpus: 1, spot: true, maxCount: 2 }] }).nodeTypes;
    expect(planScaleUp({ ...base, types: spotOnly, counts: [0], prices: [0], demandTrials: 1, avoidSpot: true })).toEqual([0]);
  });

  it("counts trials per node by the scarcer of GPUs and CPUs", () => {
    expect(trialsPerNode(types[0]!, 1000, 1000)).toBe(8);
    expect(trialsPerNode(types[0]!, 8000, 1000)).toBe(4);
    expect(trialsPerNode(types[0]!, 1000, 0)).toBe(32);
  });
});

describe("the spot fallback window", () => {
  it("falls back at N failures within the window and resumes when they age out", () => {
    const w = new SpotFailureWindow(3, 100);
    w.record(0);
    w.record(10);
    expect(w.fallingBack(20)).toBe(false);
    w.record(50);
    expect(w.fallingBack(60)).toBe(true);
    expect(w.fallingBack(99)).toBe(true);
    expect(w.fallingBack(100)).toBe(false);
  });

  it("refuses bad settings in one line naming the field", () => {
    expect(() => checkAutoscaler("cluster.autoscaler", { spotFallback: { failures: 0 } })).toThrow("cluster.autoscaler.spotFallback.failures: must be an integer >= 1, got 0");
    expect(() => checkAutoscaler("cluster.autoscaler", { upscalingSpeed: 0 })).toThrow("cluster.autoscaler.upscalingSpeed: must be a finite number > 0, got 0");
  });
});
