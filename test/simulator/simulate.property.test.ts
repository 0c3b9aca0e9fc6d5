import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { benchmarkByName } from "../../benchmarks/objectives/index.ts";
import type { NodeType } from "../../simulator/index.ts";
import { simulate } from "../../simulator/index.ts";
import { countingObjective, countingSpace } from "../_helpers/objectives.ts";

const bench = benchmarkByName("branin");

function traced(seed: number, preemptionRate = 0) {
  const lines: string[] = [];
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: 12,
    seed,
    maxIterations: 15,
    cluster: { gpus: 4, preemptionRate, replacementDelaySeconds: 30 },
    checkpointFrequency: 3,
    trace: (line) => lines.push(line),
  });
  return { trace: lines.join(""), run };
}

describe("simulate (properties)", () => {
  it("same seed and inputs give a byte-identical trace; different seeds give different traces", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(0, 20), (seed, delta, rate) => {
        const a = traced(seed, rate);
        const b = traced(seed, rate);
        expect(a.trace).toBe(b.trace);
        expect(a.trace.length).toBeGreaterThan(0);
        expect(traced(seed + delta, rate).trace).not.toBe(a.trace);
      }),
      { numRuns: 15 },
    );
  });

  const nodeType = fc.record({
    name: fc.constantFrom("a", "b", "c"),
    cpus: fc.integer({ min: 1, max: 16 }),
    gpus: fc.constantFrom(0, 1, 2, 4, 8),
    count: fc.integer({ min: 1, max: 3 }),
    spot: fc.boolean(),
    pricePerHour: fc.constantFrom(0, 1.5, 3),
  });

  it("never allocates more than a node's capacity, and every trial ends TERMINATED or ERROR", () => {
    fc.assert(
      fc.property(
        fc.array(nodeType, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(0, 0.25, 0.5, 1, 2),
        fc.constantFrom(0.5, 1, 2),
        fc.constantFrom(0, 5, 40),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 0, max: 1000 }),
        (types, gpu, cpu, preemptionRate, trials, seed) => {
          const nodeTypes: NodeType[] = types.map((t, i) => ({ ...t, name: `${t.name}${i}` }));
          // Make sure some node fits a trial, as a user's cluster would.
          nodeTypes.push({ name: "fits", cpus: Math.ceil(cpu), gpus: Math.ceil(gpu), count: 1, spot: false });
          const run = simulate({
            objective: countingObjective,
            space: countingSpace,
            metric: "loss",
            mode: "min",
            trials,
            seed,
            maxIterations: 12,
            resources: { cpu, gpu },
            cluster: { nodeTypes, preemptionRate, replacementDelaySeconds: 10 },
            checkpointFrequency: 4,
            checkInvariants: true, // throws on any over-allocation, after every event
          });
          expect(run.trials).toHaveLength(trials);
          for (const t of run.trials) expect(["TERMINATED", "ERROR"]).toContain(t.status);
          expect(run.summary.trialStates.TERMINATED + run.summary.trialStates.ERROR).toBe(trials);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("with random preemptions, each trial's iterations form 1..k and the summary counts re-done work", () => {
    let preemptions = 0;
    let redone = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(10, 30, 60),
        fc.integer({ min: 0, max: 5 }),
        (seed, preemptionRate, checkpointFrequency) => {
          const run = simulate({
            objective: countingObjective,
            space: countingSpace,
            metric: "loss",
            mode: "min",
            trials: 10,
            seed,
            maxIterations: 30,
            cluster: { gpus: 4, preemptionRate, replacementDelaySeconds: 20 },
            checkpointFrequency,
          });
          let kept = 0;
          for (const t of run.trials) {
            expect(t.status).toBe("TERMINATED");
            expect(t.history.map((r) => r.iteration)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
            kept += t.history.length;
          }
          const s = run.summary;
          // Every accepted result is either kept or was re-done after a restore.
          expect(s.results).toBe(kept + s.redoneIterations);
          if (s.redoneIterations > 0) expect(s.gpuSecondsLostToPreemption).toBeGreaterThan(0);
          expect(s.trialStates.ERROR).toBe(0); // preemptions never count against maxFailures (0 here)
          preemptions += s.preemptions;
          redone += s.redoneIterations;
        },
      ),
      { numRuns: 25 },
    );
    // The property must have met real preemptions and real lost work, not only quiet runs.
    expect(preemptions).toBeGreaterThan(10);
    expect(redone).toBeGreaterThan(0);
  });
});
