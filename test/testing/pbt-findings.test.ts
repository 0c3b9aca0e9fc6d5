import { describe, expect, it } from "vitest";
import { PopulationBasedTraining } from "../../algorithms/schedulers/index.ts";
import { uniform } from "../../core/space/index.ts";
import { checkSchedulerCase, type SchedulerCase, type SchedulerFactory } from "../../testing/index.ts";

// What the kit once found in the built-in PBT, now fixed (Ray Tune #27170 / #28509 / #11499 territory).
// Each test pins the shrunk case the kit printed then; it must now pass every property of the kit.

const pbt =
  (synch: boolean): SchedulerFactory =>
  (p) =>
    new PopulationBasedTraining({ ...p, perturbationInterval: 2, synch, hyperparamMutations: { x: uniform(0, 1) } });

const results = (n: number) => Array.from({ length: n }, () => ({ pick: 0, event: "result" as const }));

describe("fixed PBT findings of the kit", () => {
  it("synchronous PBT no longer clones a paused donor whose pause checkpoint a preemption lost (Ray #27170: no exploit of a missing checkpoint)", () => {
    const c: SchedulerCase = { seed: 0, mode: "min", trials: 2, workers: 1, maxIterations: 3, maxFailures: 0, swapAt: [], script: [...results(2), { pick: 0, event: "preempt" }] };
    // "legal decisions" used to fail: "exploit decision: t00001 exploits t00000 (PENDING), which has no checkpoint and was never asked to save one".
    expect(() => checkSchedulerCase(pbt(true), c, { mustFinish: false })).not.toThrow();
    expect(() => checkSchedulerCase(pbt(true), c)).not.toThrow();
  });

  it("asynchronous PBT ends when a trial would keep re-cloning the same checkpoint of a donor that does not move on (Ray #11499)", () => {
    const c: SchedulerCase = { seed: 0, mode: "min", trials: 2, workers: 1, maxIterations: 7, maxFailures: 0, swapAt: [], script: [] };
    // "the experiment ends" used to fail: t00001 exploited t00000 at #6 and went back to #5, for ever.
    expect(() => checkSchedulerCase(pbt(false), c)).not.toThrow();
  });
});
