/**
 * Fashion-MNIST tuned from TypeScript: the same experiment as examples/fashion-mnist.yaml,
 * TPE + ASHA over an MLP's learning rate, batch size, hidden units, dropout and weight decay,
 * each trial a worker process training with tfjs on its fastest backend.
 *
 *   npx tsx examples/fashion-mnist.ts
 *
 * Data: Debian's dataset-fashion-mnist, TUNELAB_FASHION_MNIST_DIR, or a checksummed download.
 */
import { fileURLToPath } from "node:url";
import { ASHAScheduler, TPESearcher, choice, loguniform, tune, uniform, type Space } from "../index.ts";

const space: Space = {
  model: "mlp", // or "cnn" (about 15x the MLP's CPU per batch on the wasm backend), or choice(["mlp", "cnn"])
  lr: loguniform(1e-4, 3e-2),
  batchSize: choice([32, 64, 128, 256]),
  hidden: choice([32, 64, 128, 256]),
  dropout: uniform(0, 0.5),
  weightDecay: loguniform(1e-7, 1e-3),
  batchesPerStep: 8, // 0: one step is one epoch
  trainRows: 8192, // up to 50,000 (the rest of the 60,000 training rows validate)
  validationRows: 2000,
};
const objective = { metric: "accuracy", mode: "max" } as const;

const run = await tune({
  trainable: { module: fileURLToPath(new URL("../tfjs/fashion-mnist/trainable.ts", import.meta.url)) },
  name: "fashion-mnist-ts",
  space,
  ...objective,
  trials: 16,
  maxIterations: 9,
  searcher: new TPESearcher(space, { ...objective, seed: 0, nStartupTrials: 6 }),
  scheduler: new ASHAScheduler({ ...objective, maxT: 9, gracePeriod: 1, reductionFactor: 3 }),
  resources: { cpu: 1, gpu: 0 },
});
console.log(`best validation accuracy ${run.best?.metric} with`, run.best?.config);
