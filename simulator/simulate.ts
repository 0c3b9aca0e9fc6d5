import { defaultAlgorithms } from "../algorithms/experiment-defaults.ts";
import type { Objective } from "../core/contracts/index.ts";
import { runExperiment, type ExperimentOptions, type ExperimentRun, type ExperimentSummary } from "../core/experiment/index.ts";
import { resolveCluster, type ClusterSpec } from "./cluster-spec.ts";
import { SimExecutor } from "./sim-executor.ts";

export interface SimulateOptions extends ExperimentOptions {
  /** One of ours or any user-written `Objective`. */
  objective: Objective;
  /** @defaultValue 8 GPUs on one node, no preemption */
  cluster?: ClusterSpec;
  /** Assert after every event that no node is over capacity (tests). */
  checkInvariants?: boolean;
}

/** The CLI's `--json` object: the engine's summary, every field meaningful in the simulator. */
export type SimulationSummary = ExperimentSummary;
export type SimulationRun = ExperimentRun;

/** Runs one experiment in the discrete-event cluster simulator (synchronously, on a virtual clock). */
export function simulate(options: SimulateOptions): SimulationRun {
  return runExperiment({
    options,
    subject: options.objective,
    subjectKind: "objective",
    logging: { kind: "simulation", flushEveryMs: 1000, progress: false },
    defaults: defaultAlgorithms,
    origin: { kind: "code", trainable: "objective" },
    executor: ({ seed, trace }) =>
      new SimExecutor({
        objective: options.objective,
        cluster: resolveCluster(options.cluster),
        seed,
        ...(trace ? { trace } : {}),
        ...(options.checkInvariants ? { checkInvariants: true } : {}),
      }),
  });
}
