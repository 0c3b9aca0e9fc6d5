import { checkNumber, integerAtLeast } from "./contracts/index.ts";
import type { Executor, Resources, Scheduler, Searcher } from "./contracts/index.ts";
import type { ExperimentOptions } from "./experiment/experiment-options.ts";
import type { Stopper } from "./stoppers/index.ts";
import type { EventTrace } from "./trace.ts";
import type { TuneCallback } from "./callbacks/index.ts";

/**
 * What the loop itself takes: the experiment's loop settings (declared once, in
 * ExperimentOptions, with their defaults) plus the resolved algorithms, the
 * executor and the trace writer.
 */
export interface TuneLoopOptions
  extends Pick<ExperimentOptions, "metric" | "mode" | "resources" | "checkpointFrequency" | "checkpointAtEnd" | "keepCheckpoints" | "maxFailures"> {
  /** Most trials to create (Infinity: unlimited, as under a budget). */
  trials: number;
  searcher: Searcher;
  scheduler: Scheduler;
  executor: Executor;
  stoppers?: readonly Stopper[];
  trace?: EventTrace;
  /** Hooks called as the experiment runs (loggers, progress, user code). None: the loop pays nothing. */
  callbacks?: readonly TuneCallback[];
  /** The user code under tuning, as messages name it (`objective "branin"`). @defaultValue "the objective" */
  subject?: string;
}

export function validateLoopOptions(loop: { maxTrials: number; resources: Resources; checkpointFrequency: number; maxFailures: number }): void {
  const { maxTrials, resources, checkpointFrequency, maxFailures } = loop;
  if (maxTrials !== Number.POSITIVE_INFINITY) integerAtLeast("trials", maxTrials, 1);
  checkNumber("resources.cpu", resources.cpu, { min: 0 });
  checkNumber("resources.gpu", resources.gpu, { min: 0 });
  if (resources.gpu > 1) checkNumber("resources.gpu", resources.gpu, { integer: true });
  integerAtLeast("checkpointFrequency", checkpointFrequency, 0);
  integerAtLeast("maxFailures", maxFailures, -1);
}
