import type { SuiteDefinition } from "../suite.ts";
import { STANDARD_METHODS } from "./synthetic.ts";

/** The 34 OpenML tasks of LCBench in YAHPO Gym's `instance_target_statistics.csv`. */
export const LCBENCH_TASKS = [
  "3945", "167184", "189905", "167152", "189862", "126025", "168330", "189865", "168331", "189909", "146212", "126026",
  "34539", "189866", "167201", "189908", "167200", "168908", "189906", "167161", "167104", "167149", "168329", "168335",
  "189873", "167190", "168868", "168910", "167168", "7593", "167185", "189354", "167181", "126029",
] as const;

/**
 * LCBench through YAHPO's surrogate: 100 trials per run on 16 GPUs (issue 13's speed
 * target). The benchmarks are named `lcbench/<task>`; they exist once the module that
 * registers the ONNX objectives is imported (a missing one is a clear error per cell).
 * Equal trial counts until per-task budgets from the surrogate's epoch times are set.
 */
export const lcbenchSuite: SuiteDefinition = {
  name: "lcbench",
  description: "LCBench (YAHPO surrogate), 34 tasks; 16 GPUs, 100 trials per run",
  benchmarks: LCBENCH_TASKS.map((task) => `lcbench/${task}`),
  gpus: 16,
  trials: 100,
  seeds: 10,
  methods: STANDARD_METHODS,
  targetRegret: 0.01,
};
