import { describe, expect, it } from "vitest";
import type { Objective } from "../../core/contracts/index.ts";
import { uniform } from "../../core/space/index.ts";
import { simulate } from "../../simulator/index.ts";

/** Reports a good loss at iteration 1, then crashes: every trial ends in ERROR. */
const crashesAfterOne: Objective<{ t: number }> = {
  name: "crashes-after-one",
  metrics: ["loss"],
  init: () => ({ t: 0 }),
  step: (state, config) => {
    if (state.t >= 1) throw new Error("out of memory");
    return { metrics: { loss: config["x"] as number }, seconds: 1, state: { t: state.t + 1 } };
  },
};

describe("best never comes from an ERROR trial unless asked", () => {
  it("all trials in ERROR: best is null", () => {
    const run = simulate({ objective: crashesAfterOne, space: { x: uniform(0, 1) }, metric: "loss", mode: "min", trials: 3, maxIterations: 5 });
    expect(run.summary.trialStates.ERROR).toBe(3);
    expect(run.summary.best).toBeNull();
    expect(run.best).toBeUndefined();
  });

  it("bestIncludesErrored: true ranks them", () => {
    const run = simulate({ objective: crashesAfterOne, space: { x: uniform(0, 1) }, metric: "loss", mode: "min", trials: 3, maxIterations: 5, bestIncludesErrored: true });
    const losses = run.trials.map((t) => t.lastResult?.metrics["loss"] as number);
    expect(run.summary.best?.metric).toBe(Math.min(...losses));
  });
});
