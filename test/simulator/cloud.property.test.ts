/**
 * Properties of the cloud cluster (issue 15, and issue 10's simulated storm):
 * same seed, same trace; never over capacity and the autoscaler within its
 * bounds, with autoscaling, Poisson preemption, storms and notices together;
 * after a storm every trial finishes and no checkpointed result is lost.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ASHAScheduler } from "../../algorithms/schedulers/index.ts";
import { benchmarkByName } from "../../benchmarks/objectives/index.ts";
import { simulate, type ClusterSpec } from "../../simulator/index.ts";

const bench = benchmarkByName("hartmann6", { maxIterations: 20 });

const clusterArb = fc.record({
  autoscaled: fc.boolean(),
  spotMax: fc.integer({ min: 1, max: 3 }),
  odMin: fc.integer({ min: 0, max: 1 }),
  stormAt: fc.integer({ min: 0, max: 300 }),
  stormFraction: fc.double({ min: 0.1, max: 1, noNaN: true }),
  interruptionFrequency: fc.constantFrom(0, 0.2, 0.9),
  notice: fc.constantFrom(0, 30, 120),
  idle: fc.constantFrom(0, 20, 300),
  gpusPerTrial: fc.constantFrom(0.5, 1, 2),
});

type ClusterCase = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;

function clusterOf(c: ClusterCase): ClusterSpec {
  const launchDelay = { kind: "lognormal", medianSeconds: 40, sigma: 0.3 } as const;
  return {
    storms: [{ atSeconds: c.stormAt, fraction: c.stormFraction }],
    // A high monthly frequency, so Poisson losses happen within a few simulated minutes too.
    ...(c.interruptionFrequency > 0 ? { interruptionFrequency: c.interruptionFrequency } : {}),
    preemptionNoticeSeconds: c.notice,
    replacementDelaySeconds: 30,
    nodeTypes: c.autoscaled
      ? [
          { name: "spot4", cpus: 16, gpus: 4, pricePerHour: 4, spot: true, maxCount: c.spotMax, launchDelay, idleTimeoutSeconds: c.idle },
          { name: "od4", cpus: 16, gpus: 4, pricePerHour: 12, minCount: c.odMin, maxCount: 2, launchDelay, idleTimeoutSeconds: c.idle },
        ]
      : [
          { name: "spot4", cpus: 16, gpus: 4, pricePerHour: 4, spot: true, count: c.spotMax },
          { name: "od4", cpus: 16, gpus: 4, pricePerHour: 12, count: 1 },
        ],
  };
}

function runWith(cluster: ClusterSpec, seed: number, gpusPerTrial: number, scheduler: "fifo" | "asha") {
  const lines: string[] = [];
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: 24,
    seed,
    cluster,
    resources: { cpu: 1, gpu: gpusPerTrial },
    checkpointFrequency: 4,
    maxFailures: 0,
    checkInvariants: true,
    ...(scheduler === "asha" ? { scheduler: new ASHAScheduler({ metric: bench.metric, mode: bench.mode, maxT: 20, gracePeriod: 2, reductionFactor: 2 }) } : {}),
    trace: (line) => lines.push(line),
  });
  return { run, lines };
}

describe("cloud cluster properties", () => {
  it("same seed gives the same trace (autoscaling, storms, Poisson, notices)", () => {
    fc.assert(
      fc.property(clusterArb, fc.integer({ min: 0, max: 1000 }), (c, seed) => {
        const a = runWith(clusterOf(c), seed, c.gpusPerTrial, "asha");
        const b = runWith(clusterOf(c), seed, c.gpusPerTrial, "asha");
        expect(b.lines).toEqual(a.lines);
      }),
      { numRuns: 8 },
    );
  });

  it("is never over capacity, the autoscaler stays within [minCount, maxCount], and every trial finishes", () => {
    fc.assert(
      fc.property(clusterArb, fc.integer({ min: 0, max: 1000 }), fc.constantFrom("fifo" as const, "asha" as const), (c, seed, scheduler) => {
        // checkInvariants throws on any node over capacity after an event, or a type outside its bounds after an autoscaler pass.
        const { run } = runWith(clusterOf(c), seed, c.gpusPerTrial, scheduler);
        expect(run.summary.trialStates.TERMINATED).toBe(24);
        expect(run.summary.trialStates.ERROR).toBe(0);
      }),
      { numRuns: 25 },
    );
  });

  it("loses no checkpointed result in a storm: each kept history is 1..k and its checkpointed prefix is the first one reported", () => {
    fc.assert(
      fc.property(clusterArb, fc.integer({ min: 0, max: 1000 }), (c, seed) => {
        const { run, lines } = runWith(clusterOf(c), seed, c.gpusPerTrial, "fifo");
        // Per trial: the latest value reported for each iteration, and at each checkpoint the values
        // it made durable (iterations 1..c as they stood then; a restart from scratch re-draws earlier ones).
        const latest = new Map<string, Map<number, number>>();
        const durable = new Map<string, number[]>();
        for (const line of lines) {
          const e = JSON.parse(line) as { type: string; trial?: string; iteration?: number; value?: number };
          if (e.type === "result") {
            const values = latest.get(e.trial as string) ?? new Map<number, number>();
            values.set(e.iteration as number, e.value as number);
            latest.set(e.trial as string, values);
          }
          if (e.type === "checkpoint") {
            const values = latest.get(e.trial as string) as Map<number, number>;
            durable.set(e.trial as string, Array.from({ length: e.iteration as number }, (_, i) => values.get(i + 1) as number));
          }
        }
        for (const trial of run.trials) {
          expect(trial.status).toBe("TERMINATED");
          expect(trial.history.map((r) => r.iteration)).toEqual(Array.from({ length: trial.history.length }, (_, i) => i + 1));
          expect(trial.history.length).toBe(20);
          const kept = durable.get(trial.id) ?? [];
          expect(trial.history.slice(0, kept.length).map((r) => r.metrics[bench.metric])).toEqual(kept);
        }
      }),
      // The example: a restart from scratch before the first checkpoint re-draws iterations 1..c.
      { numRuns: 15, examples: [[{ autoscaled: false, spotMax: 2, odMin: 0, stormAt: 57, stormFraction: 0.25, interruptionFrequency: 0, notice: 0, idle: 0, gpusPerTrial: 2 }, 243]] },
    );
  });
});

describe("issue 10's storm: 90% of the spot nodes at second 600", () => {
  it("every trial finishes, and a notice cuts the GPU-seconds lost and the re-done iterations", () => {
    // 100 iterations of 1-3 s on 80 GPUs: about four waves of trials, still running at 600 s.
    const long = benchmarkByName("hartmann6", { maxIterations: 100 });
    const figures = [0, 120].map((notice) => {
      const r = simulate({
        objective: long.objective,
        space: long.space,
        metric: long.metric,
        mode: long.mode,
        trials: 320,
        seed: 0,
        checkpointFrequency: 0,
        checkInvariants: true,
        cluster: { gpus: 80, storms: [{ atSeconds: 600, fraction: 0.9 }], preemptionNoticeSeconds: notice },
      });
      expect(r.summary.trialStates.TERMINATED).toBe(320);
      expect(r.summary.nodesLost).toBe(9);
      return r.summary;
    });
    const [bare, notice] = figures as [NonNullable<(typeof figures)[0]>, NonNullable<(typeof figures)[0]>];
    expect(bare.redoneIterations).toBeGreaterThan(0);
    expect(notice.gpuSecondsLostToPreemption).toBeLessThan(bare.gpuSecondsLostToPreemption);
    expect(notice.redoneIterations).toBeLessThan(bare.redoneIterations);
    expect(notice.gpuSecondsSavedByNotice).toBeGreaterThan(0);
  });
});
