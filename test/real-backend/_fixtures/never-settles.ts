// Run as a child process: a step whose promise nobody can ever settle must fail its trial, not end the process silently.
import { grid } from "../../../core/space/index.ts";
import { tune, type Trainable } from "../../../real-backend/index.ts";

const stuck: Trainable<{ t: number }> = {
  name: "stuck",
  init: () => ({ t: 0 }),
  // Trial "hang" waits forever on its second step; trial "fine" runs to the end.
  step: (state, config) =>
    config["kind"] === "hang" && state.t === 1 ? new Promise(() => {}) : { metrics: { loss: state.t }, state: { t: state.t + 1 } },
};

const run = await tune({
  trainable: stuck as Trainable,
  space: { kind: grid(["hang", "fine"]) },
  metric: "loss",
  mode: "min",
  trials: 2,
  maxIterations: 3,
  capacity: { cpu: 1, gpu: 0 },
});
process.stdout.write(JSON.stringify(run.trials.map((t) => ({ status: t.status, iterations: t.history.length, error: t.errorMessage ?? null }))) + "\n");
