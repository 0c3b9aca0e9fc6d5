import { ContractError, OptionError, pauseBecause, SavedStateError } from "../../../core/contracts/index.ts";
import type { Decision, Json, Mode, Resources, Result, Scheduler, SchedulerContext, TrialView } from "../../../core/contracts/index.ts";
import { oneOf, nonEmptyString } from "../../../core/errors/index.ts";
import { FIFOScheduler } from "../fifo.ts";
import { checkVersion } from "../_internals/options.ts";
import { sameResources, type AllocationContext, type ResourceAllocationFunction, type ResourceAllocationPolicy } from "./allocation.ts";
import { DistributeResources } from "./distribute-resources.ts";
import { DistributeResourcesToTopJob } from "./distribute-resources-to-top-job.ts";

export interface ResourceChangingSchedulerOptions {
  /** The scheduler whose decisions stand. @defaultValue FIFOScheduler */
  baseScheduler?: Scheduler;
  /**
   * Decides new resources for a trial its base scheduler lets continue.
   * `null` never changes anything (as Ray's None). @defaultValue new DistributeResources()
   */
  resourcesAllocationFunction?: ResourceAllocationPolicy | ResourceAllocationFunction | null;
  /** Handed to the allocation function (DistributeResourcesToTopJob ranks by it). @defaultValue the base scheduler's */
  metric?: string;
  mode?: Mode;
}

const SAVE_VERSION = 1;
const OWNER = "ResourceChangingScheduler";

interface SavedResourceChanging {
  version: number;
  base: Json;
  baseResources: Resources | null;
  pending: Array<[string, Resources]>;
  resumeFirst: string[];
}

/**
 * Ray Tune's ResourceChangingScheduler: wraps any scheduler and changes the
 * resources of live trials. When the base scheduler answers "continue" and the
 * allocation function wants different resources, the trial is paused instead
 * (the loop checkpoints it and frees its resources); when it is next a
 * candidate, it gets the new resources and restarts from that checkpoint. A
 * running trial's resources never change: only a checkpoint and a restore
 * carry a trial from one allocation to the next, as on a real cluster.
 *
 * Differences from Ray, each because the loop differs:
 * - a trial paused only to be resized is resumed first, before the base
 *   scheduler's choice (its base scheduler said "continue"); Ray leaves it to
 *   the base scheduler, and FIFO there starts every pending trial first;
 * - resources no node could ever hold are not applied (the trial goes on as it
 *   was): a trial is one bundle on one node here;
 * - actor reuse is allowed: a resized trial restarts in an actor of its new
 *   shape, so it never inherits one of its old size.
 */
export class ResourceChangingScheduler implements Scheduler {
  readonly base: Scheduler;
  private readonly allocate: ResourceAllocationFunction | undefined;
  private readonly metricOption: string | undefined;
  private readonly modeOption: Mode | undefined;
  private context: SchedulerContext | undefined;
  private baseResources: Resources | undefined;
  /** New resources decided for trials the loop is still pausing (checkpointing). */
  private readonly pending = new Map<string, Resources>();
  /** Trials paused only to be resized: they run again before anything else. */
  private readonly resumeFirst = new Set<string>();

  constructor(options: ResourceChangingSchedulerOptions = {}) {
    this.base = options.baseScheduler ?? new FIFOScheduler();
    const fn = options.resourcesAllocationFunction === undefined ? new DistributeResources() : options.resourcesAllocationFunction;
    if (fn === null) this.allocate = undefined;
    else if (typeof fn === "function") this.allocate = fn;
    else if (typeof fn === "object" && typeof fn.allocate === "function") this.allocate = (c) => fn.allocate(c);
    else throw new OptionError(`${OWNER}.resourcesAllocationFunction`, "must be a function, an object with allocate(context), or null");
    this.metricOption = options.metric === undefined ? undefined : nonEmptyString(`${OWNER}.metric`, options.metric);
    this.modeOption = options.mode === undefined ? undefined : oneOf(`${OWNER}.mode`, options.mode, ["min", "max"] as const);
    // Refused now, not at the first result: the top job is ranked by a metric someone must name.
    if (fn instanceof DistributeResourcesToTopJob && (fn.metric ?? this.metric) === undefined) {
      throw new OptionError(`${OWNER}.metric`, "DistributeResourcesToTopJob ranks trials by a metric: give metric and mode to it, to ResourceChangingScheduler, or use a base scheduler that has them");
    }
    if (fn instanceof DistributeResourcesToTopJob && (fn.mode ?? this.mode) === undefined) {
      throw new OptionError(`${OWNER}.mode`, "DistributeResourcesToTopJob needs a mode (min or max): give it to it, to ResourceChangingScheduler, or use a base scheduler that has one");
    }
  }

  /** The metric the base scheduler ranks by (the loop checks it against the first result). */
  get metric(): string | undefined {
    return this.metricOption ?? baseField(this.base, "metric");
  }

  get mode(): Mode | undefined {
    const mode = this.modeOption ?? baseField(this.base, "mode");
    return mode === "min" || mode === "max" ? mode : undefined;
  }

  setContext(context: SchedulerContext): void {
    if (this.allocate && (!context.setTrialResources || !context.clusterResources || !context.couldEverPlace)) {
      throw new OptionError(OWNER, "needs a loop that can re-allocate trials (setTrialResources, clusterResources, couldEverPlace in its SchedulerContext)");
    }
    this.context = context;
    this.base.setContext(context);
  }

  onTrialAdd(trial: TrialView): void {
    // Ray takes the first trial's resources as every trial's base.
    this.baseResources ??= { cpu: trial.resources.cpu, gpu: trial.resources.gpu };
    this.base.onTrialAdd(trial);
  }

  onTrialResult(trial: TrialView, result: Result): Decision {
    const decision = this.base.onTrialResult(trial, result);
    if (decision.kind !== "continue") return decision;
    const wanted = this.reallocation(trial, result);
    if (wanted === undefined) return decision;
    this.pending.set(trial.id, wanted);
    return pauseBecause(`to change resources from cpu=${trial.resources.cpu} gpu=${trial.resources.gpu} to cpu=${wanted.cpu} gpu=${wanted.gpu}`);
  }

  onTrialComplete(trial: TrialView, last?: Result): void {
    this.forget(trial.id);
    this.base.onTrialComplete(trial, last);
  }

  onTrialError(trial: TrialView): void {
    this.forget(trial.id);
    this.base.onTrialError(trial);
  }

  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    const context = this.context as SchedulerContext;
    for (const [id, resources] of this.pending) {
      const trial = candidates.find((t) => t.id === id);
      if (!trial) continue; // still saving: it is applied once the trial is paused
      this.pending.delete(id);
      (context.setTrialResources as NonNullable<SchedulerContext["setTrialResources"]>)(id, resources);
      this.resumeFirst.add(id);
    }
    if (this.resumeFirst.size > 0) {
      for (const t of candidates) {
        if (this.resumeFirst.delete(t.id)) return t;
      }
    }
    return this.base.chooseTrialToRun(candidates);
  }

  save(): Json {
    const state: SavedResourceChanging = {
      version: SAVE_VERSION,
      base: this.base.save(),
      baseResources: this.baseResources ?? null,
      pending: [...this.pending],
      resumeFirst: [...this.resumeFirst],
    };
    return state as unknown as Json;
  }

  restore(state: Json): void {
    checkVersion(`${OWNER}`, state, SAVE_VERSION);
    const s = state as unknown as SavedResourceChanging;
    if (!Array.isArray(s.pending) || !Array.isArray(s.resumeFirst)) throw new SavedStateError(`${OWNER}.restore`, "pending and resumeFirst must be arrays");
    this.base.restore(s.base);
    this.baseResources = s.baseResources ?? undefined;
    this.pending.clear();
    for (const [id, r] of s.pending) this.pending.set(id, r);
    this.resumeFirst.clear();
    for (const id of s.resumeFirst) this.resumeFirst.add(id);
  }

  /** New resources for `trial`, or undefined when the function keeps them (or asks for what no node holds). */
  private reallocation(trial: TrialView, result: Result): Resources | undefined {
    if (!this.allocate) return undefined;
    const context = this.context;
    if (!context) throw new ContractError(OWNER, "setContext must be called before onTrialResult");
    const cluster = (context.clusterResources as NonNullable<SchedulerContext["clusterResources"]>)();
    if (!cluster) return undefined;
    const couldEverPlace = context.couldEverPlace as NonNullable<SchedulerContext["couldEverPlace"]>;
    const view: AllocationContext = {
      trial,
      result,
      trials: context.trials(),
      baseResources: this.baseResources ?? trial.resources,
      clusterResources: cluster,
      couldEverPlace: (r) => couldEverPlace(r),
      metric: this.metric,
      mode: this.mode,
    };
    const wanted = this.allocate(view);
    if (wanted === undefined || wanted === null) return undefined;
    if (!(wanted.cpu >= 0 && wanted.gpu >= 0 && Number.isFinite(wanted.cpu) && Number.isFinite(wanted.gpu))) {
      throw new ContractError(`${OWNER}.resourcesAllocationFunction`, `returned ${JSON.stringify(wanted)} for trial ${trial.id}; need finite cpu and gpu >= 0`);
    }
    if (sameResources(wanted, trial.resources) || !couldEverPlace(wanted)) return undefined;
    return { cpu: wanted.cpu, gpu: wanted.gpu };
  }

  private forget(trialId: string): void {
    this.pending.delete(trialId);
    this.resumeFirst.delete(trialId);
  }
}

function baseField(scheduler: Scheduler, name: "metric" | "mode"): string | undefined {
  const s = scheduler as { metric?: unknown; mode?: unknown; options?: { metric?: unknown; mode?: unknown } };
  const value = s[name] ?? s.options?.[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}
