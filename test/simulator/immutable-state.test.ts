/**
 * `Objective.immutableState`: checkpoints share the state instead of cloning it.
 * For an objective that keeps its promise (the learning curves), the runs are
 * the same event for event; for one that breaks it, sharing is visible, which
 * shows the flag is what removes the copies.
 */
import { describe, expect, it } from "vitest";
import { ASHAScheduler, PopulationBasedTraining, mutationsFromSpace } from "../../algorithms/schedulers/index.ts";
import type { Objective, Scheduler } from "../../core/contracts/index.ts";
import { benchmarkByName } from "../../benchmarks/objectives/index.ts";
import { uniform } from "../../core/space/index.ts";
import { simulate } from "../../simulator/index.ts";

const hartmann = benchmarkByName("hartmann6", { maxIterations: 27 });

function trace(objective: Objective, scheduler: Scheduler, space = hartmann.space, metric = hartmann.metric): string[] {
  const lines: string[] = [];
  simulate({ objective, space, metric, mode: "min", trials: 40, seed: 3, scheduler, cluster: { gpus: 6 }, maxIterations: 27, trace: (l) => lines.push(l) });
  return lines;
}

const schedulers: Record<string, () => Scheduler> = {
  "ASHA promotion": () => new ASHAScheduler({ metric: "loss", mode: "min", maxT: 27, gracePeriod: 1, reductionFactor: 3, type: "promotion", seed: 1 }),
  PBT: () =>
    new PopulationBasedTraining({ metric: "loss", mode: "min", seed: 1, timeAttr: "training_iteration", perturbationInterval: 3, hyperparamMutations: mutationsFromSpace(hartmann.space) }),
};

describe("Objective.immutableState", () => {
  it("the learning curves declare it", () => {
    expect(hartmann.objective.immutableState).toBe(true);
  });

  for (const [name, make] of Object.entries(schedulers)) {
    it(`${name}: shared states give the same trace as cloned ones`, () => {
      const shared = trace(hartmann.objective, make());
      const cloned = trace({ ...hartmann.objective, immutableState: false }, make());
      expect(shared.some((l) => l.includes('"restore"') || l.includes("checkpoint"))).toBe(true);
      expect(shared).toEqual(cloned);
    });
  }

  it("an objective that writes to its state breaks the promise visibly (the copies are really gone)", () => {
    // Counts steps in place: a checkpoint that shares the state sees later steps too.
    const counting: Objective<{ steps: number }> = {
      name: "in-place",
      metrics: ["loss"],
      init: () => ({ steps: 0 }),
      step(state, config) {
        state.steps++;
        return { metrics: { loss: (config.x as number) + 1 / state.steps }, seconds: 1, state };
      },
    };
    const space = { x: uniform(0, 1) };
    // PBT: a donor goes on stepping after its checkpoint, and an exploit restores that checkpoint.
    const pbt = () =>
      new PopulationBasedTraining({ metric: "loss", mode: "min", seed: 1, timeAttr: "training_iteration", perturbationInterval: 3, hyperparamMutations: mutationsFromSpace(space) });
    const run = (immutableState: boolean) => trace({ ...counting, immutableState } as Objective, pbt(), space);
    expect(run(true)).not.toEqual(run(false));
  });
});
