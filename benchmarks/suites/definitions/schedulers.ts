import type { SuiteDefinition } from "../suite.ts";

/**
 * The grid of benchmarks/compare-schedulers.ts (issue 3) as a suite: random search under
 * each early-stopping scheduler on the synthetic learning curves, 16 GPUs, 256 trials
 * per run, 10 seeds, at equal trial counts as that script compared them. The script
 * stays for its own figures (reached FIFO's best, GPU-seconds against FIFO, promotion
 * against stopping at equal epochs); `synthetic` compares the same schedulers at equal compute.
 */
export const schedulersSuite: SuiteDefinition = {
  name: "schedulers",
  description: "random search x fifo/asha/asha-promotion/hyperband/median on the synthetic functions; 16 GPUs, 256 trials per run",
  benchmarks: ["branin", "hartmann3", "hartmann6", "rosenbrock4"],
  gpus: 16,
  trials: 256,
  seeds: 10,
  methods: ["random:fifo", "random:asha", "random:asha-promotion", "random:hyperband", "random:median"],
  targetRegret: 0.01,
};
