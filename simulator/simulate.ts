import { defaultAlgorithms } from "../algorithms/experiment-defaults.ts";
import type { Objective } from "../core/contracts/index.ts";
import { runExperiment, type ExperimentOptions, type ExperimentRun, type ExperimentSummary } from "../core/experiment/index.ts";
import { resolveCluster, type ClusterSpec } from "./cluster-spec.ts";
import { SimExecutor } from "./sim-executor.ts";
import { FIFOScheduler, resourceChangingFromSpec, type ResourceChangingSpec } from "../algorithms/schedulers/index.ts";
import { checkResourceScaling } from "../core/resource-scaling.ts";
import type { ResourceScaling } from "../core/contracts/index.ts";

/** The objective with its declared scaling checked, or replaced by `override`. */
function withScaling(objective: Objective, override: ResourceScaling | undefined): Objective {
  // A prototype link, not a spread: an objective may be a class instance whose step and init live on its prototype.
  if (override !== undefined) return Object.assign(Object.create(objective) as Objective, { resourceScaling: checkResourceScaling("resourceScaling", override) });
  if (objective.resourceScaling !== undefined) checkResourceScaling(`${objective.name}.resourceScaling`, objective.resourceScaling);
  return objective;
}

export interface SimulateOptions extends ExperimentOptions {
  /** One of ours or any user-written `Objective`. */
  objective: Objective;
  /** @defaultValue 8 GPUs on one node, no preemption */
  cluster?: ClusterSpec;
  /** Assert after every event that no node is over capacity (tests). */
  checkInvariants?: boolean;
  /** How step time scales with a trial's resources, overriding the objective's own `resourceScaling`. */
  resourceScaling?: ResourceScaling;
  /**
   * Dynamic resources: wraps the scheduler (given or default) in a
   * ResourceChangingScheduler with a built-in policy. For a user function, pass
   * `scheduler: new ResourceChangingScheduler(...)` instead.
   */
  resourceChanging?: ResourceChangingSpec;
}

/** The CLI's `--json` object: the engine's summary, every field meaningful in the simulator. */
export type SimulationSummary = ExperimentSummary;
export type SimulationRun = ExperimentRun;

/** Runs one experiment in the discrete-event cluster simulator (synchronously, on a virtual clock). */
export function simulate(options: SimulateOptions): SimulationRun {
  const objective = withScaling(options.objective, options.resourceScaling);
  const resourceChanging = options.resourceChanging;
  // Checked before the run, so a bad spec fails with its field name and nothing ran.
  if (resourceChanging !== undefined) resourceChangingFromSpec("resourceChanging", resourceChanging, new FIFOScheduler(), options.metric, options.mode);
  const given = options.scheduler;
  const scheduler = given !== undefined && resourceChanging !== undefined ? resourceChangingFromSpec("resourceChanging", resourceChanging, given, options.metric, options.mode) : given;
  return runExperiment({
    options: scheduler === undefined ? options : { ...options, scheduler },
    subject: objective,
    subjectKind: "objective",
    logging: { kind: "simulation", flushEveryMs: 1000, progress: false },
    defaults: resourceChanging === undefined ? defaultAlgorithms : (o) => {
      const chosen = defaultAlgorithms(o);
      return { ...chosen, scheduler: resourceChangingFromSpec("resourceChanging", resourceChanging, chosen.scheduler, options.metric, options.mode) };
    },
    origin: { kind: "code", trainable: "objective" },
    executor: ({ seed, trace }) =>
      new SimExecutor({
        objective,
        cluster: resolveCluster(options.cluster),
        seed,
        ...(trace ? { trace } : {}),
        ...(options.checkInvariants ? { checkInvariants: true } : {}),
        ...(options.trials !== undefined ? { trialLimit: options.trials } : {}),
      }),
  });
}
