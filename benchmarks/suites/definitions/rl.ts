import type { SuiteDefinition } from "../suite.ts";

/**
 * The stateful RL-like objectives where population-based training should shine, at
 * the settings of the old benchmarks/compare-pbt.ts: 4 GPUs, a population of 4, and
 * per benchmark the simulated time PBT needs to show its point. Random search + FIFO
 * spends the same time training independent trials.
 */
export const rlSuite: SuiteDefinition = {
  name: "rl",
  description: "pbt-toy, noisy-lr-schedule, rl-return; 4 GPUs, population 4, equal simulated time per benchmark",
  benchmarks: ["pbt-toy", "noisy-lr-schedule", "rl-return"],
  gpus: 4,
  budget: { "pbt-toy": { seconds: 200 }, "noisy-lr-schedule": { seconds: 1000 }, "rl-return": { seconds: 3000 } },
  population: 4,
  seeds: 10,
  methods: ["random:fifo", "random:asha", "random:pbt", "random:pb2"],
  targetRegret: 0.05,
};
