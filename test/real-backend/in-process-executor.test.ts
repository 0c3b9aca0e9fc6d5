import { describe, expect, it } from "vitest";
import { FIFOScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { CONTINUE, STOP } from "../../core/contracts/index.ts";
import type { Decision, Objective, Result, TrialView } from "../../core/contracts/index.ts";
import { uniform } from "../../core/space/index.ts";
import { MaximumIterationStopper } from "../../core/stoppers/index.ts";
import { tune } from "../../real-backend/index.ts";
import type { Trainable } from "../../real-backend/index.ts";
import { simulate } from "../../simulator/index.ts";

/** Deterministic (noise-free) objective that both executors can run: the simulator uses `seconds`, the real one ignores it. */
const quadratic: Objective<{ t: number }> & Trainable<{ t: number }> = {
  name: "quadratic",
  metrics: ["loss"],
  init: () => ({ t: 0 }),
  step: (state, config) => {
    const t = state.t + 1;
    const lr = config["lr"] as number;
    return { metrics: { loss: (lr - 0.3) ** 2 + 1 / t }, seconds: 1, state: { t } };
  },
};
const space = { lr: uniform(0, 1) };

/** Stops a trial at iteration 3 when it is worse than the best loss seen at 3 (a stateful, order-dependent rule). */
class StopWorseAt3 extends FIFOScheduler {
  private best = Number.POSITIVE_INFINITY;
  override onTrialResult(_t: TrialView, r: Result): Decision {
    if (r.iteration !== 3) return CONTINUE;
    const loss = r.metrics["loss"] as number;
    if (loss > this.best) return STOP;
    this.best = loss;
    return CONTINUE;
  }
}

describe("InProcessExecutor and tune()", () => {
  it("runs the same searcher and scheduler to the same decisions as the simulator", async () => {
    const common = { space, metric: "loss", mode: "min" as const, trials: 8, seed: 5 };
    const sim = simulate({
      ...common,
      objective: quadratic,
      searcher: new RandomSearch(space, common),
      scheduler: new StopWorseAt3(),
      cluster: { gpus: 1 },
      maxIterations: 6,
    });
    const real = await tune({
      ...common,
      trainable: quadratic,
      searcher: new RandomSearch(space, common),
      scheduler: new StopWorseAt3(),
      capacity: { cpu: 1, gpu: 0 },
      stoppers: [new MaximumIterationStopper(6)],
    });
    const view = (trials: readonly TrialView[]) =>
      trials.map((t) => ({ id: t.id, config: t.config, status: t.status, losses: t.history.map((r) => r.metrics["loss"]) }));
    expect(view(real.trials)).toEqual(view(sim.trials));
    expect(real.best).toEqual(sim.best);
    // Some trials were stopped early at 3, others ran to 6: the scheduler really decided.
    const lengths = new Set(real.trials.map((t) => t.history.length));
    expect(lengths).toEqual(new Set([3, 6]));
  });

  it("a trainable that throws fails its trial; with maxFailures it restarts from its checkpoint", async () => {
    let failures = 0;
    const flaky: Trainable<{ t: number }> = {
      name: "flaky",
      init: () => ({ t: 0 }),
      step: async (state) => {
        await new Promise((r) => setTimeout(r, 1));
        if (state.t === 3 && failures++ === 0) throw new Error("worker lost its GPU");
        return { metrics: { loss: 1 / (state.t + 1) }, state: { t: state.t + 1 }, done: state.t + 1 === 5 };
      },
    };
    const run = await tune({ trainable: flaky, space, metric: "loss", mode: "min", trials: 1, maxFailures: 1, checkpointFrequency: 2 });
    expect(run.trials[0]?.status).toBe("TERMINATED");
    expect(run.trials[0]?.history.map((r) => r.iteration)).toEqual([1, 2, 3, 4, 5]);
    expect(run.loop.counters.failures).toBe(1);

    failures = 0;
    const broken = await tune({ trainable: flaky, space, metric: "loss", mode: "min", trials: 1 });
    expect(broken.trials[0]?.status).toBe("ERROR");
    expect(broken.trials[0]?.errorMessage).toBe("flaky threw in step: worker lost its GPU");
  });
});
