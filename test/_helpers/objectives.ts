import type { Objective } from "../../core/contracts/index.ts";
import { uniform } from "../../core/space/index.ts";

/** loss = x + 1/t with a little noise: cheap, deterministic per seed, easy to reason about. */
export interface CountingState {
  t: number;
}

export const countingObjective: Objective<CountingState> = {
  name: "counting",
  metrics: ["loss"],
  init: () => ({ t: 0 }),
  step: (state, config, ctx) => {
    const t = state.t + 1;
    const x = config["x"] as number;
    return { metrics: { loss: x + 1 / t + 0.01 * ctx.rng.normal() }, seconds: 1 + x, state: { t } };
  },
};

export const countingSpace = { x: uniform(0, 1) };
