import { describe, expect, it } from "vitest";
import { PopulationBasedTraining } from "../../algorithms/schedulers/index.ts";
import { uniform } from "../../core/space/index.ts";
import { CheckFailure, checkSchedulerCase, type SchedulerCase, type SchedulerFactory } from "../../testing/index.ts";

// What the kit found in the built-in PBT (reported, not fixed here: the algorithm is out of this change's scope).
// Each test pins the shrunk case the kit printed; when PBT is fixed, flip the test to expect no failure.

const pbt =
  (synch: boolean): SchedulerFactory =>
  (p) =>
    new PopulationBasedTraining({ ...p, perturbationInterval: 2, synch, hyperparamMutations: { x: uniform(0, 1) } });

function failureOf(factory: SchedulerFactory, c: SchedulerCase, options = {}): CheckFailure {
  try {
    checkSchedulerCase(factory, c, options);
  } catch (e) {
    expect(e).toBeInstanceOf(CheckFailure);
    return e as CheckFailure;
  }
  throw new Error("the case passed: the finding is fixed, update this test");
}

const results = (n: number) => Array.from({ length: n }, () => ({ pick: 0, event: "result" as const }));

describe("known PBT findings of the kit", () => {
  it("synchronous PBT clones a paused donor whose pause checkpoint a preemption lost (the loop then skips the exploit, but the policy log records it)", () => {
    const c: SchedulerCase = { seed: 0, mode: "min", trials: 2, workers: 1, maxIterations: 3, maxFailures: 0, swapAt: [], script: [...results(2), { pick: 0, event: "preempt" }] };
    const f = failureOf(pbt(true), c, { mustFinish: false });
    expect(f.property).toBe("legal decisions");
    expect(f.violation).toBe("exploit decision: t00001 exploits t00000 (PENDING), which has no checkpoint and was never asked to save one");
  });

  it("asynchronous PBT never ends when a trial keeps re-exploiting a finished donor below maxIterations (as Ray Tune issue 11499)", () => {
    const c: SchedulerCase = { seed: 0, mode: "min", trials: 2, workers: 1, maxIterations: 7, maxFailures: 0, swapAt: [], script: [] };
    const f = failureOf(pbt(false), c);
    expect(f.property).toBe("the experiment ends");
    expect(f.message).toMatch(/result t00001 #6 [\d.]+ -> exploit from t00000/);
    // The same case passes every other property once the run may be cut at its budget.
    expect(() => checkSchedulerCase(pbt(false), c, { mustFinish: false })).not.toThrow();
  });
});
