/** The README's API example, kept compiling and running by test/examples/quickstart.test.ts. */
import { simulate, RandomSearch, FIFOScheduler, loguniform, choice, randint, type Objective } from "../index.ts";

const space = {
  optimizer: choice([
    { kind: "sgd", lr: loguniform(1e-4, 1e-1), momentum: choice([0, 0.9]) },
    { kind: "adam", lr: loguniform(1e-5, 1e-2) },
  ]),
  layers: randint(2, 8), // upper bound exclusive, as in Ray Tune
};

// Any objective: a formula, a surrogate, or a table of recorded learning curves.
const objective: Objective<{ epoch: number }> = {
  name: "my-curves",
  metrics: ["val_loss"],
  init: () => ({ epoch: 0 }),
  step: (state, config, { rng }) => ({
    metrics: { val_loss: 1 / (state.epoch + 1) + 0.01 * rng.normal() },
    seconds: 30, // simulated seconds for this epoch
    state: { epoch: state.epoch + 1 },
  }),
};

const run = simulate({
  objective, space, metric: "val_loss", mode: "min", trials: 100, seed: 3,
  searcher: new RandomSearch(space, { metric: "val_loss", mode: "min", seed: 3 }),
  scheduler: new FIFOScheduler(),
  cluster: { gpus: 16, preemptionRate: 0.5 },
  maxIterations: 50, checkpointFrequency: 5, maxFailures: 2,
});
console.log(run.best, run.summary.gpuSeconds);
