import type { Mode, Resources, Result, TrialView } from "../../../core/contracts/index.ts";

/** What an allocation function sees when a trial reports a result its scheduler lets continue. */
export interface AllocationContext {
  /** The trial that reported (RUNNING, holding `trial.resources`). */
  readonly trial: TrialView;
  readonly result: Result;
  /** Every trial of the experiment, creation order. */
  readonly trials: readonly TrialView[];
  /** Resources every trial was created with (the first trial's, as in Ray). */
  readonly baseResources: Resources;
  /** CPUs and GPUs of the cluster's usable nodes, busy or not. */
  readonly clusterResources: Resources;
  /** Whether some node could ever hold a trial needing `resources` (a trial is one bundle on one node). */
  couldEverPlace(resources: Resources): boolean;
  /** The experiment's metric and mode, where the scheduler knows them. */
  readonly metric: string | undefined;
  readonly mode: Mode | undefined;
}

/**
 * Ray's `resources_allocation_function`: the resources `trial` should run on
 * from its next start, or undefined to keep what it has. Called once per
 * result the wrapped scheduler answers "continue"; must be pure (no clock, no I/O).
 */
export type ResourceAllocationFunction = (context: AllocationContext) => Resources | undefined;

/** An allocation function with a name for reports (DistributeResources and friends). */
export interface ResourceAllocationPolicy {
  allocate(context: AllocationContext): Resources | undefined;
}

/** Trials that hold or wait for resources: every trial not ended (Ray's live trials). */
export function liveTrials(trials: readonly TrialView[]): TrialView[] {
  return trials.filter((t) => t.status !== "TERMINATED" && t.status !== "ERROR");
}

// Resources are compared and summed in integer thousandths, as the simulator
// keeps them, so 0.1 + 0.2 GPUs never looks like more than 0.3.
const UNIT = 1000;
export const toUnits = (amount: number): number => Math.round(amount * UNIT);
export const fromUnits = (units: number): number => units / UNIT;

export function sameResources(a: Resources, b: Resources): boolean {
  return toUnits(a.cpu) === toUnits(b.cpu) && toUnits(a.gpu) === toUnits(b.gpu);
}
