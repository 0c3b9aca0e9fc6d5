import { checkNumber, OptionError } from "../../../core/errors/index.ts";
import type { Resources, TrialView } from "../../../core/contracts/index.ts";
import { fromUnits, liveTrials, toUnits, type AllocationContext, type ResourceAllocationPolicy } from "./allocation.ts";

export interface DistributeResourcesOptions {
  /**
   * The unit a trial grows or shrinks by. @defaultValue one GPU when the base
   * resources hold a GPU, else one CPU (as Ray)
   */
  increaseBy?: Partial<Resources>;
  /** Most units a trial may gain over its base; < 1 for no limit. Ignored without `increaseBy`, as in Ray. @defaultValue -1 */
  increaseByTimes?: number;
  /** Resources never handed out to grown trials. @defaultValue none */
  reserveResources?: Partial<Resources>;
}

/** Amounts in thousandths: exact sums for fractional resources. */
interface Units {
  cpu: number;
  gpu: number;
}

const units = (r: Partial<Resources>): Units => ({ cpu: toUnits(r.cpu ?? 0), gpu: toUnits(r.gpu ?? 0) });
const resourcesOf = (u: Units): Resources => ({ cpu: fromUnits(u.cpu), gpu: fromUnits(u.gpu) });

/**
 * Ray Tune's `DistributeResources` (one bundle per trial, `add_bundles=False`,
 * Ray's default): shares the cluster's free CPUs and GPUs evenly between the
 * live trials, in whole `increaseBy` units, never below a trial's base resources.
 *
 * For a trial that reports (iteration >= 1):
 * - free = cluster total - reserve - resources held or asked by live trials;
 * - its fair share, in units above its base: the units a clean slate would
 *   give the first trial when (total - reserve - base x live trials) is dealt
 *   out one unit per trial in turn: ceil(U / live), capped by `increaseByTimes`;
 * - free >= one unit: it grows by floor(free / unit) units, up to that share;
 *   free < 0 (others were promised more than is left): it shrinks by
 *   ceil(-free / unit) units, never below its base.
 *
 * One deviation, because a trial here is one bundle on one node: the share is
 * cut, unit by unit, to what some node could hold. Ray would ask for it and the
 * trial would never be placed (its documentation warns of this).
 */
export class DistributeResources implements ResourceAllocationPolicy {
  readonly increaseBy: Units | undefined;
  readonly increaseByTimes: number;
  readonly reserve: Units;

  constructor(options: DistributeResourcesOptions = {}, owner = "DistributeResources") {
    if (options.increaseBy !== undefined) {
      const cpu = checkNumber(`${owner}.increaseBy.cpu`, options.increaseBy.cpu ?? 0, { min: 0 });
      const gpu = checkNumber(`${owner}.increaseBy.gpu`, options.increaseBy.gpu ?? 0, { min: 0 });
      if (toUnits(cpu) === 0 && toUnits(gpu) === 0) throw new OptionError(`${owner}.increaseBy`, "needs a cpu or gpu amount > 0 (at least 0.001)");
      this.increaseBy = units({ cpu, gpu });
    }
    this.increaseByTimes = checkNumber(`${owner}.increaseByTimes`, options.increaseByTimes ?? -1, { integer: true });
    const reserve = options.reserveResources ?? {};
    this.reserve = units({
      cpu: checkNumber(`${owner}.reserveResources.cpu`, reserve.cpu ?? 0, { min: 0 }),
      gpu: checkNumber(`${owner}.reserveResources.gpu`, reserve.gpu ?? 0, { min: 0 }),
    });
  }

  allocate(context: AllocationContext): Resources | undefined {
    if (context.result.iteration < 1) return undefined;
    const base = units(context.baseResources);
    const step = this.unitFor(base);
    const total = this.available(context);
    const live = liveTrials(context.trials);
    const free = minus(total, sumOf(live));
    const added = this.growth(context, live, base, step, total, free);
    return this.fitted(context, base, added, step);
  }

  /** Units above the base the reporting trial should hold; DistributeResourcesToTopJob changes who gets them. */
  protected growth(context: AllocationContext, live: readonly TrialView[], base: Units, step: Units, total: Units, free: Units): Units {
    const share = this.fairShare(live.length, base, step, total);
    return this.adjust(minus(units(context.trial.resources), base), step, free, share);
  }

  /** The unit of growth: `increaseBy`, else one GPU for a GPU trial, else one CPU. */
  protected unitFor(base: Units): Units {
    if (this.increaseBy) return this.increaseBy;
    return base.gpu > 0 ? { cpu: 0, gpu: toUnits(1) } : { cpu: toUnits(1), gpu: 0 };
  }

  /** `increaseByTimes` applies only with an explicit `increaseBy` (Ray). */
  protected get timesLimit(): number {
    return this.increaseBy && this.increaseByTimes >= 1 ? this.increaseByTimes : -1;
  }

  private available(context: AllocationContext): Units {
    return minus(units(context.clusterResources), this.reserve);
  }

  /**
   * Units the first of `count` trials gets when the spare resources over their
   * bases are dealt one unit per trial in turn (Ray's clean-slate upper limit).
   */
  private fairShare(count: number, base: Units, step: Units, total: Units): number {
    const spare = { cpu: total.cpu - base.cpu * count, gpu: total.gpu - base.gpu * count };
    if (spare.cpu < 0 || spare.gpu < 0) return 0;
    const dealt = multiplier(step, spare);
    const share = Math.ceil(dealt / count);
    return this.timesLimit > 0 ? Math.min(share, this.timesLimit) : share;
  }

  /**
   * Grows `added` by the whole units `free` holds (up to `share` units in all,
   * when share > 0) or, when `free` is short, gives back the units owed, never
   * below zero (Ray's `_modify_bundles_with_free_resources`).
   */
  protected adjust(added: Units, step: Units, free: Units, share: number): Units {
    const m = multiplier(step, free);
    if (m < 0) {
      return { cpu: Math.max(added.cpu + step.cpu * m, 0), gpu: Math.max(added.gpu + step.gpu * m, 0) };
    }
    if (m === 0) return added;
    const grown = { cpu: added.cpu + step.cpu * m, gpu: added.gpu + step.gpu * m };
    const limit = share > 0 && this.timesLimit > 0 ? Math.min(share, this.timesLimit) : this.timesLimit > 0 ? this.timesLimit : share;
    if (limit > 0) {
      grown.cpu = Math.min(grown.cpu, step.cpu * limit);
      grown.gpu = Math.min(grown.gpu, step.gpu * limit);
    }
    return grown;
  }

  /** base + added, cut unit by unit until a node could hold it (see the class note). */
  private fitted(context: AllocationContext, base: Units, added: Units, step: Units): Resources {
    let grown = { ...added };
    for (;;) {
      const wanted = resourcesOf({ cpu: base.cpu + grown.cpu, gpu: base.gpu + grown.gpu });
      if (context.couldEverPlace(wanted) || (grown.cpu <= 0 && grown.gpu <= 0)) return wanted;
      grown = { cpu: Math.max(grown.cpu - step.cpu, 0), gpu: Math.max(grown.gpu - step.gpu, 0) };
    }
  }
}

/**
 * How many `step` units `amount` holds, rounded down (negative when `amount`
 * is): the binding resource when the unit has both, else the one it has.
 */
export function multiplier(step: Units, amount: Units): number {
  if (step.cpu > 0 && step.gpu > 0) return Math.min(Math.floor(amount.cpu / step.cpu), Math.floor(amount.gpu / step.gpu));
  if (step.gpu > 0) return Math.floor(amount.gpu / step.gpu);
  return Math.floor(amount.cpu / step.cpu);
}

function minus(a: Units, b: Units): Units {
  return { cpu: a.cpu - b.cpu, gpu: a.gpu - b.gpu };
}

function sumOf(trials: readonly TrialView[]): Units {
  const sum = { cpu: 0, gpu: 0 };
  for (const t of trials) {
    sum.cpu += toUnits(t.resources.cpu);
    sum.gpu += toUnits(t.resources.gpu);
  }
  return sum;
}

export type { Units };
