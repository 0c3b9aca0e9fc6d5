// Trainables for benchmarks/perf/real-overhead.ts: they cost (almost) nothing or a fixed sleep, so what is timed is the backend.
import type { Trainable } from "../../../real-backend/trainable.ts";

/** Ten no-op steps. */
export const noop: Trainable<number> = {
  name: "noop",
  init: () => 0,
  step: (t) => ({ metrics: { loss: 1 / (t + 1) }, state: t + 1, done: t + 1 >= 10 }),
};

/** Five steps of a 50 ms sleep. */
export const sleep50: Trainable<number> = {
  name: "sleep50",
  init: () => 0,
  step: async (t) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { metrics: { loss: 1 / (t + 1) }, state: t + 1, done: t + 1 >= 5 };
  },
};

/** One step: for timing a trial's start. */
export const oneStep: Trainable<number> = {
  name: "one-step",
  init: () => 0,
  step: () => ({ metrics: { loss: 1 }, state: 1, done: true }),
};
