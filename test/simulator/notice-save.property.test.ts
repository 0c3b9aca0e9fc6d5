import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Objective } from "../../core/contracts/index.ts";
import { simulate } from "../../simulator/index.ts";
import { noticeSaveDue } from "../../simulator/notice-save.ts";

/**
 * One trial whose steps take a random 1 + spread x U(0, 1) seconds, drawn from the trial's own
 * stream: the notice save must find its boundary without disturbing that stream.
 */
function jitteryObjective(spread: number, steps: number): Objective<{ n: number }> {
  return {
    name: "jittery",
    metrics: ["loss"],
    init: () => ({ n: 0 }),
    step: (state, _config, ctx) => ({
      state: { n: state.n + 1 },
      metrics: { loss: 1 / (state.n + 1) },
      seconds: 1 + spread * ctx.rng.next(),
      done: state.n + 1 >= steps,
    }),
  };
}

/** The single trial's run with a storm taking its node at `stormAt` and `notice` seconds of warning. */
function lostWork(notice: number, stormAt: number, spread: number, checkpointSeconds: number, steps: number) {
  const run = simulate({
    objective: jitteryObjective(spread, steps),
    space: {},
    metric: "loss",
    mode: "min",
    trials: 1,
    seed: 7,
    maxIterations: steps,
    checkpointFrequency: 0,
    maxFailures: -1,
    resources: { cpu: 1, gpu: 1 },
    checkInvariants: true,
    cluster: {
      nodeTypes: [{ name: "s1", gpus: 1, cpus: 4, spot: true, count: 1 }],
      storms: [{ atSeconds: stormAt, fraction: 1 }],
      preemptionNoticeSeconds: notice,
      checkpointSeconds,
      replacementDelaySeconds: 10,
    },
  });
  return { lost: run.summary.gpuSecondsLostToPreemption, redone: run.summary.redoneIterations, saved: run.summary.gpuSecondsSavedByNotice, finished: run.summary.trialStates.TERMINATED };
}

describe("preemption notices: a longer notice never loses more work than a shorter one", () => {
  it("for the same trial, storm and checkpoint cost, across notices, storm times and step-time jitter", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 40, max: 400 }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        fc.double({ min: 0.5, max: 10, noNaN: true }),
        fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 2, maxLength: 4 }),
        (stormAt, spread, checkpointSeconds, notices) => {
          const sorted = [...notices].sort((a, b) => a - b);
          const runs = sorted.map((notice) => lostWork(notice, stormAt, spread, checkpointSeconds, 400));
          for (let i = 1; i < runs.length; i++) {
            const shorter = runs[i - 1]!;
            const longer = runs[i]!;
            expect(longer.lost).toBeLessThanOrEqual(shorter.lost + 1e-9);
            expect(longer.redone).toBeLessThanOrEqual(shorter.redone);
            expect(longer.finished).toBe(1);
          }
        },
      ),
      { numRuns: 40, seed: 15 },
    );
  });

  it("AWS's 120 s loses no more than GCP's 30 s, and both less than no notice (the case the old first-boundary save got wrong)", () => {
    const [none, gcp, aws] = [0, 30, 120].map((notice) => lostWork(notice, 200, 0, 2, 400));
    // Steps of exactly 1 s and saves of 2 s: both notices save at the last boundary with room, 2-3 s before the storm.
    expect(gcp!.lost).toBeLessThanOrEqual(3 + 1e-9);
    expect(aws!.lost).toBeLessThanOrEqual(gcp!.lost + 1e-9);
    expect(none!.lost).toBeGreaterThan(150);
    expect(aws!.saved).toBeGreaterThan(150);
  });
});

describe("noticeSaveDue: the last boundary from which another step would not leave time to save", () => {
  it.each<[string, number, number | undefined, number, number, string]>([
    ["room for another step and its save", 100, 5, 2, 120, "later"],
    ["another step would not leave time to save", 100, 5, 2, 106, "now"],
    ["another step and a save that end just before the deadline", 100, 5, 2, 107.5, "later"],
    ["another step and a save that end at the deadline (lost with the node)", 100, 5, 2, 107, "now"],
    ["no save can finish", 100, 5, 2, 101, "never"],
    ["a save would end as the node goes", 100, 5, 2, 102, "never"],
    ["next step unknown (the objective would fail)", 100, undefined, 2, 200, "now"],
  ])("%s", (_what, boundary, next, checkpoint, deadline, expected) => {
    expect(noticeSaveDue(boundary, next, checkpoint, deadline)).toBe(expected);
  });
});
