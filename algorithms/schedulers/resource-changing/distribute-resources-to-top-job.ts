import { metricOf, OptionError } from "../../../core/contracts/index.ts";
import type { Mode, TrialView } from "../../../core/contracts/index.ts";
import { oneOf, nonEmptyString } from "../../../core/errors/index.ts";
import type { AllocationContext } from "./allocation.ts";
import { toUnits } from "./allocation.ts";
import { DistributeResources, multiplier, type DistributeResourcesOptions, type Units } from "./distribute-resources.ts";

export interface DistributeResourcesToTopJobOptions extends DistributeResourcesOptions {
  /** Metric that ranks trials. @defaultValue the experiment's (through ResourceChangingScheduler) */
  metric?: string;
  /** @defaultValue the experiment's */
  mode?: Mode;
}

/**
 * Ray Tune's `DistributeResourcesToTopJob`: every free unit goes to the best
 * live trial by its last result; the others keep what they have, and give back
 * units only when the free resources are short (some trial holds more than is
 * left). With `increaseByTimes`, the best trial still below that limit is the
 * one that grows.
 *
 * One deviation: trials without a result yet rank last. Ray ranks a missing
 * metric as +infinity, which in "max" mode makes a trial that never reported
 * the best one.
 */
export class DistributeResourcesToTopJob extends DistributeResources {
  readonly metric: string | undefined;
  readonly mode: Mode | undefined;

  constructor(options: DistributeResourcesToTopJobOptions = {}) {
    super(options, "DistributeResourcesToTopJob");
    this.metric = options.metric === undefined ? undefined : nonEmptyString("DistributeResourcesToTopJob.metric", options.metric);
    this.mode = options.mode === undefined ? undefined : oneOf("DistributeResourcesToTopJob.mode", options.mode, ["min", "max"] as const);
  }

  protected override growth(context: AllocationContext, live: readonly TrialView[], base: Units, step: Units, _total: Units, free: Units): Units {
    const metric = this.metric ?? context.metric;
    const mode = this.mode ?? context.mode;
    if (metric === undefined || mode === undefined) {
      throw new OptionError("DistributeResourcesToTopJob.metric", "needs a metric and mode, given here or by the experiment");
    }
    const addedOf = (t: TrialView): Units => ({ cpu: toUnits(t.resources.cpu) - base.cpu, gpu: toUnits(t.resources.gpu) - base.gpu });
    const ranked = rank(live, metric, mode);
    let best = ranked[0];
    const limit = this.timesLimit;
    if (limit > 0) {
      const below = ranked.find((t) => {
        const added = addedOf(t);
        return added.cpu < step.cpu * limit || added.gpu < step.gpu * limit;
      });
      best = below ?? best;
    }
    const added = addedOf(context.trial);
    // Not the best: keep what it has, unless free resources are short and it must give some back.
    if (best?.id !== context.trial.id && multiplier(step, free) >= 0) return added;
    return this.adjust(added, step, free, -1);
  }
}

/** Best first by the last result's `metric`; trials without one last; ties by creation order. */
function rank(trials: readonly TrialView[], metric: string, mode: Mode): TrialView[] {
  const sign = mode === "max" ? -1 : 1;
  const key = (t: TrialView): number => {
    const value = t.lastResult === undefined ? undefined : metricOf(t.lastResult, metric);
    return value === undefined || Number.isNaN(value) ? Number.POSITIVE_INFINITY : sign * value;
  };
  return [...trials].sort((a, b) => key(a) - key(b) || a.index - b.index);
}
