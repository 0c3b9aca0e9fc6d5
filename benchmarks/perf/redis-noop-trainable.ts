// The trainable of benchmarks/perf/redis-throughput.ts: twenty no-op steps, so what is timed is the backend.
import type { Trainable } from "../../real-backend/trainable.ts";

export const noop20: Trainable<number> = {
  name: "noop20",
  init: () => 0,
  step: (t) => ({ metrics: { loss: 1 / (t + 1) }, state: t + 1, done: t + 1 >= 20 }),
};
