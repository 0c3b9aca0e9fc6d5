import { describe, expect, it } from "vitest";
import { DistributeResources, FIFOScheduler, ResourceChangingScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import type { Resources } from "../../core/contracts/index.ts";
import { uniform } from "../../core/space/index.ts";
import { MaximumIterationStopper } from "../../core/stoppers/index.ts";
import { tune, type Trainable } from "../../real-backend/index.ts";

describe("ResourceChangingScheduler on a real executor (tune, in process)", () => {
  it("a resized trial's trainable sees its new resources after its restore", async () => {
    const seen = new Map<string, number[]>();
    const trainable: Trainable<{ t: number }> = {
      name: "cpu-hungry",
      metrics: ["loss"],
      init: () => ({ t: 0 }),
      step: (state, config, context) => {
        const cpus: Resources | undefined = context.resources;
        if (!cpus) throw new Error("the in-process executor hands every step its resources");
        const key = String(config["x"]);
        seen.set(key, [...(seen.get(key) ?? []), cpus.cpu]);
        return { metrics: { loss: (config["x"] as number) + 1 / (state.t + 1) }, seconds: 1, state: { t: state.t + 1 } };
      },
    };
    const space = { x: uniform(0, 1) };
    const common = { space, metric: "loss", mode: "min" as const, trials: 2, seed: 3 };
    const run = await tune({
      ...common,
      trainable,
      searcher: new RandomSearch(space, common),
      scheduler: new ResourceChangingScheduler({ baseScheduler: new FIFOScheduler(), resourcesAllocationFunction: new DistributeResources() }),
      capacity: { cpu: 4, gpu: 0 },
      resources: { cpu: 1, gpu: 0 },
      stoppers: [new MaximumIterationStopper(4)],
    });
    expect(run.trials.every((t) => t.status === "TERMINATED")).toBe(true);
    // Two trials share 4 CPUs: each grows from 1 to 2 after its first result.
    for (const cpus of seen.values()) {
      expect(cpus[0]).toBe(1);
      expect(Math.max(...cpus)).toBe(2);
    }
    expect(run.trials.map((t) => t.resources.cpu)).toEqual([2, 2]);
  });
});
