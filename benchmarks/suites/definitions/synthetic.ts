import type { SuiteDefinition } from "../suite.ts";

/** The six methods of issue 13: random search under four schedulers, TPE with ASHA, BOHB, GP-BO. */
export const STANDARD_METHODS = ["random:fifo", "random:asha", "tpe:asha", "bohb:hyperband-bohb", "gp:fifo", "random:pbt"] as const;

/**
 * The synthetic learning-curve functions (100 iterations of 1-3 s each) on 16 GPUs.
 * Every method gets 1,200 simulated seconds, about what FIFO needs for 100 full
 * trainings, and creates trials while they last: early stopping buys more trials.
 */
export const syntheticSuite: SuiteDefinition = {
  name: "synthetic",
  description: "branin, hartmann3, hartmann6, rosenbrock4 as learning curves; 16 GPUs, 1,200 simulated seconds per run",
  benchmarks: ["branin", "hartmann3", "hartmann6", "rosenbrock4"],
  gpus: 16,
  budget: { seconds: 1200 },
  seeds: 10,
  methods: STANDARD_METHODS,
  // A hundredth of a typical random configuration's regret.
  targetRegret: 0.01,
};
