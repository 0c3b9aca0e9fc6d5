import { ContractError, DeadlockError, objectivity, OptionError, SavedStateError, TrialError } from "./contracts/index.ts";
import type {
  CheckpointRef,
  Config,
  Decision,
  Executor,
  ExecutorListener,
  Json,
  Mode,
  Resources,
  Result,
  Scheduler,
  SchedulerContext,
  Searcher,
  TrialView,
} from "./contracts/index.ts";
import { CallbackList } from "./callbacks/index.ts";
import { CheckpointRetention } from "./checkpoint-retention.ts";
import { readExperiment, saveExperiment, type LoopCounters } from "./experiment-state.ts";
import { validateLoopOptions, type TuneLoopOptions } from "./loop-options.ts";
import { invalidMetrics } from "./result-check.ts";
import type { Stopper } from "./stoppers/index.ts";
import type { EventTrace } from "./trace.ts";
import type { DecisionEvent, DecisionKind } from "./callbacks/index.ts";
import { Trial, trialIdFor, type AfterSave } from "./trial.ts";

export type { TuneLoopOptions } from "./loop-options.ts";
export type { LoopCounters } from "./experiment-state.ts";
export { trialIdFor } from "./trial.ts";


/**
 * Restarts (after a preemption or a retried failure) the loop allows in a row
 * with no result from any trial. Past it the experiment is making no progress,
 * e.g. nodes are preempted faster than actors start, and it ends with a
 * DeadlockError instead of spinning for ever.
 */
export const MAX_RESTARTS_WITHOUT_RESULT = 10_000;

/**
 * The backend-agnostic tuning loop. It knows only the contracts: it asks the
 * searcher for configs, the scheduler for decisions, and commands the executor;
 * the executor calls back (ExecutorListener) one event at a time.
 */
export class TuneLoop implements ExecutorListener {
  readonly metric: string;
  readonly mode: Mode;
  private readonly searcher: Searcher;
  private readonly scheduler: Scheduler;
  private readonly executor: Executor;
  private readonly maxTrials: number;
  private readonly subject: string;
  private readonly resources: Resources;
  private readonly checkpointFrequency: number;
  private readonly checkpointAtEnd: boolean;
  private readonly maxFailures: number;
  private readonly stoppers: readonly Stopper[];
  private readonly trace: EventTrace | undefined;
  /** Undefined without callbacks: each hook site is then one optional-chaining check. */
  private readonly callbacks: CallbackList | undefined;

  private readonly all: Trial[] = [];
  private readonly byId = new Map<string, Trial>();
  /** PENDING and PAUSED trials, creation order: the scheduler's candidates. */
  private waiting: Trial[] = [];
  private running = 0;
  private searcherDone = false;
  private stoppingAll = false;
  private finishedFlag = false;
  /** Trials waiting for a donor's save, keyed by donor id. */
  private readonly exploitWaiters = new Map<string, Trial[]>();
  readonly counters: LoopCounters = { results: 0, redoneIterations: 0, failures: 0, preemptedTrials: 0, checkpoints: 0, checkpointsDiscarded: 0 };
  private readonly retention: CheckpointRetention;

  constructor(options: TuneLoopOptions) {
    const o = objectivity(options, "tune");
    this.metric = o.metric;
    this.mode = o.mode;
    this.searcher = options.searcher;
    this.scheduler = options.scheduler;
    this.executor = options.executor;
    this.maxTrials = options.trials;
    this.subject = options.subject ?? "the objective";
    this.resources = options.resources ?? { cpu: 1, gpu: 0 };
    this.checkpointFrequency = options.checkpointFrequency ?? 0;
    this.checkpointAtEnd = options.checkpointAtEnd ?? false;
    this.maxFailures = options.maxFailures ?? 0;
    this.stoppers = options.stoppers ?? [];
    this.trace = options.trace;
    this.callbacks = CallbackList.of(options.callbacks);
    this.retention = new CheckpointRetention(options.keepCheckpoints);
    validateLoopOptions({
      maxTrials: this.maxTrials,
      resources: this.resources,
      checkpointFrequency: this.checkpointFrequency,
      maxFailures: this.maxFailures,
    });
    if (!this.executor.couldEverPlace(this.resources)) {
      throw new OptionError(
        "resources",
        `no node of the cluster fits a trial needing cpu=${this.resources.cpu} gpu=${this.resources.gpu}`,
      );
    }
    this.executor.setListener(this);
    this.scheduler.setContext(this.schedulerContext());
  }

  // ---- public face -------------------------------------------------------

  get finished(): boolean {
    return this.finishedFlag;
  }

  get trials(): readonly TrialView[] {
    return this.all;
  }

  /** Starts as many trials as fit. The executor then drives the loop through its events. */
  begin(): void {
    this.trace?.emit(this.executor.now(), "experiment_start", { trials: this.maxTrials });
    this.callbacks?.experimentStart({ metric: this.metric, mode: this.mode, maxTrials: this.maxTrials, resources: this.resources, time: this.executor.now() });
    this.fill();
  }

  /** Experiment state: trials with histories and checkpoints, searcher, scheduler and stoppers. */
  save(): Json {
    return saveExperiment({
      searcherDone: this.searcherDone,
      counters: this.counters,
      trials: this.all,
      searcher: this.searcher.save(),
      scheduler: this.scheduler.save(),
      stoppers: this.stoppers.map((st) => st.save()),
      retention: this.retention.save(),
    });
  }

  /**
   * Resumes from `save()` output (call before `begin`). Trials that were
   * running go back to PENDING and restart from their latest checkpoint, as
   * after a driver crash; everything the algorithms knew comes back exactly.
   */
  restore(state: Json): void {
    if (this.all.length > 0) throw new ContractError("TuneLoop.restore", "must be called on a fresh loop, before begin()");
    const s = readExperiment(state);
    this.searcherDone = s.searcherDone;
    Object.assign(this.counters, s.counters);
    for (const trial of s.trials) {
      if ((trial.status === "PENDING" || trial.status === "PAUSED") && !trial.exploitWait) {
        trial.restoreFrom = trial.latestCheckpoint;
        this.addWaiting(trial);
      }
      this.all.push(trial);
      this.byId.set(trial.id, trial);
    }
    this.resumeExploitWaits();
    this.searcher.restore(s.searcher);
    this.scheduler.restore(s.scheduler);
    this.stoppers.forEach((stopper, i) => stopper.restore(s.stoppers[i] ?? null));
    this.retention.restore(s.retention, this.all);
  }

  /**
   * Exploits that were waiting for their donor's save when the experiment was
   * saved wait again (every waiter is PAUSED or PENDING now: a running one came
   * back PENDING). A donor that will run again (PENDING) is asked to save once it
   * does, so the waiter gets the donor's new weights, as without the resume; a
   * donor that is paused or ended has its final checkpoint, taken at once.
   */
  private resumeExploitWaits(): void {
    for (const trial of this.all) {
      const wait = trial.exploitWait;
      if (!wait) continue;
      trial.exploitWait = undefined;
      const donor = this.byId.get(wait.from);
      if (!donor) throw new SavedStateError("experiment state", `trial ${trial.id} waits for unknown donor "${wait.from}"`);
      if (donor.status === "PENDING" && donor !== trial) {
        donor.checkpointRequested = true;
        this.waitForDonor(trial, donor, wait.config);
        continue;
      }
      // A donor with its final checkpoint, or a trial that was re-configuring itself (PBT replay): start from it now.
      const checkpoint = donor.latestCheckpoint;
      if (donor === trial) trial.config = wait.config;
      else if (checkpoint) this.restoreWaitingFromDonor(trial, donor, wait.config);
      trial.restoreFrom ??= trial.latestCheckpoint;
      this.addWaiting(trial);
    }
  }

  // ---- executor events ---------------------------------------------------

  onResult(result: Result): void {
    const trial = this.byId.get(result.trialId);
    if (!trial || trial.status !== "RUNNING") return;
    const problem = invalidMetrics(result, this.metric);
    if (problem !== undefined) {
      this.executor.stop(trial.id);
      this.running--;
      this.fail(trial, false, new TrialError(trial.id, `${this.subject} reported ${problem} at iteration ${result.iteration}`).message);
      this.afterEvent();
      return;
    }
    if (this.counters.results === 0) this.checkComponentMetrics(result);
    this.counters.results++;
    this.restartsSinceResult = { preempted: 0, failed: 0 };
    trial.history.push(result);
    trial.lastResult = result;
    this.trace?.emit(result.time, "result", { trial: trial.id, iteration: result.iteration, value: result.metrics[this.metric] });
    this.searcher.onTrialResult?.(trial.id, result);
    this.callbacks?.trialResult(trial, result);

    let stop = result.done === true;
    for (let i = 0; i < this.stoppers.length; i++) {
      if ((this.stoppers[i] as Stopper).shouldStopTrial(result)) stop = true;
    }
    if (this.stopAllDue(result.time)) {
      this.stopEverything();
      this.afterEvent();
      return;
    }
    if (stop) {
      if (this.callbacks) this.decided(trial, "stop", result.done === true ? "the objective reported done" : "a stopper ended the trial", result.done === true ? "objective" : "stopper");
      this.terminate(trial);
    } else {
      this.apply(trial, this.scheduler.onTrialResult(trial, result));
    }
    this.afterEvent();
  }

  onCheckpointed(saved: CheckpointRef): void {
    const trial = this.byId.get(saved.trialId);
    if (!trial || trial.status !== "RUNNING") return;
    this.counters.checkpoints++;
    // Numbered, so retention tells apart two saves of a trial at the same iteration (a re-do after an exploit).
    const checkpoint: CheckpointRef = { ...saved, seq: this.counters.checkpoints };
    trial.savePending = false;
    // A clone's first save of its own unpins the donor's checkpoint it restored.
    const previousOwner = trial.latestCheckpoint?.trialId;
    trial.adoptCheckpoint(checkpoint);
    this.trace?.emit(this.executor.now(), "checkpoint", { trial: trial.id, iteration: checkpoint.iteration });
    this.callbacks?.checkpoint(trial, checkpoint, this.executor.now());
    this.retention.record(checkpoint);
    this.releaseExploitWaiters(trial);
    this.collectCheckpoints(trial);
    const donor = previousOwner === undefined ? undefined : this.byId.get(previousOwner);
    if (donor && donor !== trial) this.collectCheckpoints(donor);
    const next = trial.afterSave;
    trial.afterSave = "none";
    if (next === "continue") this.executor.continueTrial(trial.id);
    else if (next === "pause") this.release(trial, "PAUSED");
    else if (next === "stop") this.release(trial, "TERMINATED");
    this.afterEvent();
  }

  onFailed(trialId: string, recoverable: boolean, reason: string, stack?: string): void {
    const trial = this.byId.get(trialId);
    if (!trial || trial.status !== "RUNNING") return;
    this.running--;
    this.fail(trial, recoverable, reason, stack);
    this.afterEvent();
  }

  /**
   * A restarting trial's checkpoint is unusable (see ExecutorListener). It goes back
   * to the executor's `fallback` when that is one of its own earlier results (the
   * results after it are re-done), else starts from scratch, which counts as a
   * failure; past maxFailures the executor fails the trial instead.
   */
  onCheckpointUnusable(trialId: string, checkpoint: CheckpointRef, fallback: CheckpointRef | undefined, reason: string): CheckpointRef | undefined | "fail" {
    const trial = this.byId.get(trialId);
    if (!trial || trial.status !== "RUNNING") return "fail";
    let keep = -1;
    if (fallback) for (let i = trial.history.length - 1; i >= 0 && keep < 0; i--) if ((trial.history[i] as Result).iteration === fallback.iteration) keep = i + 1;
    const usable = keep >= 0 ? fallback : undefined;
    if (!usable) {
      if (this.maxFailures !== -1 && trial.failures + 1 > this.maxFailures) return "fail";
      trial.failures++;
      this.counters.failures++;
      keep = 0;
    }
    trial.latestCheckpoint = usable;
    trial.historyAtCheckpoint = keep;
    this.counters.redoneIterations += trial.dropResultsToRedo(usable !== undefined);
    // Loggers hear the restart again, now from the fallback: results after it are marked re-done.
    this.callbacks?.trialStart(trial, { time: this.executor.now(), restoreFrom: usable });
    return usable;
  }

  onClockTick(): void {
    if (this.finishedFlag || this.stoppingAll || !this.stopAllDue(this.executor.now())) return;
    this.trace?.emit(this.executor.now(), "stop_all", {});
    this.stopEverything();
    this.afterEvent();
  }

  /** Whether a stopper ends the whole experiment at `now` (it then stays ended). */
  private stopAllDue(now: number): boolean {
    for (let i = 0; i < this.stoppers.length; i++) {
      if ((this.stoppers[i] as Stopper).shouldStopAll(now)) this.stoppingAll = true;
    }
    return this.stoppingAll;
  }

  onNodeAdded(nodeId: string): void {
    this.trace?.emit(this.executor.now(), "node_added", { node: nodeId });
    this.afterEvent();
  }

  onNodeLost(nodeId: string): void {
    this.trace?.emit(this.executor.now(), "node_lost", { node: nodeId });
  }

  onPreemptionNotice(nodeId: string, trialIds: readonly string[], secondsLeft: number): void {
    this.trace?.emit(this.executor.now(), "preemption_notice", { node: nodeId, secondsLeft });
    // Save what can be saved before the node goes: each trial checkpoints after its next step.
    for (const id of trialIds) {
      const trial = this.byId.get(id);
      if (trial && trial.status === "RUNNING") trial.checkpointRequested = true;
    }
  }

  // ---- decisions ---------------------------------------------------------

  private apply(trial: Trial, decision: Decision): void {
    if (this.callbacks && (decision.kind === "stop" || decision.kind === "pause" || decision.reason !== undefined) && decision.kind !== "exploit") {
      this.decided(trial, decision.kind === "continue" ? "promote" : decision.kind, decision.reason ?? "", "scheduler");
    }
    switch (decision.kind) {
      case "continue":
        if (this.checkpointDue(trial)) this.saveThen(trial, "continue");
        else this.executor.continueTrial(trial.id);
        return;
      case "pause":
        this.trace?.emit(this.executor.now(), "pause", { trial: trial.id, iteration: trial.iteration });
        if (trial.latestCheckpoint?.iteration === trial.iteration) this.release(trial, "PAUSED");
        else this.saveThen(trial, "pause");
        return;
      case "stop":
        this.terminate(trial);
        return;
      case "exploit":
        this.exploit(trial, decision.from, decision.config, decision.reason);
        return;
    }
  }

  private decided(trial: Trial, kind: DecisionKind, reason: string, by: DecisionEvent["by"]): void {
    this.callbacks?.decision({ time: this.executor.now(), trialId: trial.id, kind, iteration: trial.iteration, reason, by });
  }

  private checkpointDue(trial: Trial): boolean {
    if (trial.checkpointRequested) return true;
    return this.checkpointFrequency > 0 && trial.iteration % this.checkpointFrequency === 0;
  }

  private saveThen(trial: Trial, next: AfterSave): void {
    trial.afterSave = next;
    trial.savePending = true;
    trial.checkpointRequested = false;
    this.executor.save(trial.id);
  }

  private terminate(trial: Trial): void {
    this.trace?.emit(this.executor.now(), "stop", { trial: trial.id, iteration: trial.iteration });
    if (this.checkpointAtEnd && trial.latestCheckpoint?.iteration !== trial.iteration) this.saveThen(trial, "stop");
    else this.release(trial, "TERMINATED");
  }

  /** Frees a running trial's resources and moves it to PAUSED or TERMINATED. */
  private release(trial: Trial, status: "PAUSED" | "TERMINATED"): void {
    this.executor.stop(trial.id);
    this.running--;
    this.dropExploitWait(trial);
    if (status === "PAUSED") {
      trial.status = "PAUSED";
      trial.checkpointRequested = false;
      trial.restoreFrom = trial.latestCheckpoint;
      this.addWaiting(trial);
      this.releaseExploitWaiters(trial);
      return;
    }
    trial.status = "TERMINATED";
    this.releaseExploitWaiters(trial);
    this.scheduler.onTrialComplete(trial, trial.lastResult);
    this.searcher.onTrialComplete(trial.id, trial.lastResult, false);
    this.callbacks?.trialComplete(trial, this.executor.now());
  }

  private exploit(trial: Trial, from: string, config: Config, reason?: string): void {
    const donor = this.byId.get(from);
    if (!donor) {
      throw new ContractError("Scheduler.onTrialResult", `scheduler asked trial ${trial.id} to exploit unknown trial "${from}"`);
    }
    if (donor === trial) {
      // A config change that keeps the weights (PBT replay): save now, then restore the trial's own checkpoint under `config`.
      this.waitForDonor(trial, trial, config);
      this.saveThen(trial, "none");
      return;
    }
    // Never restore a checkpoint that is not there yet: wait for the donor's save.
    if (!this.donorReady(donor)) {
      this.waitForDonor(trial, donor, config);
      return;
    }
    this.restoreFromDonor(trial, donor, config, reason);
  }

  /** A donor is ready when no save of it is in flight or asked for, and a running donor has a checkpoint. */
  private donorReady(donor: Trial): boolean {
    if (donor.savePending) return false;
    if (donor.status !== "RUNNING") return true;
    return donor.latestCheckpoint !== undefined && !donor.checkpointRequested;
  }

  private waitForDonor(trial: Trial, donor: Trial, config: Config): void {
    if (!donor.savePending && donor.status === "RUNNING") donor.checkpointRequested = true;
    trial.exploitWait = { from: donor.id, config };
    const waiters = this.exploitWaiters.get(donor.id) ?? [];
    waiters.push(trial);
    this.exploitWaiters.set(donor.id, waiters);
  }

  /**
   * PBT's exploit of a trial that is not running (synchronous mode): the PAUSED
   * or PENDING trial will start from the donor's checkpoint under `config`. If
   * the donor's checkpoint is still to come, the trial is held out of the
   * candidates until it lands (or the donor ends, and the trial goes on as it was).
   */
  private exploitWaiting(trialId: string, from: string, config: Config): void {
    const trial = this.byId.get(trialId);
    const donor = this.byId.get(from);
    if (!trial || (trial.status !== "PAUSED" && trial.status !== "PENDING")) {
      throw new ContractError("SchedulerContext.exploitWaiting", `trial "${trialId}" is not a PAUSED or PENDING trial`);
    }
    if (!donor || donor === trial) {
      throw new ContractError("SchedulerContext.exploitWaiting", `trial ${trialId} cannot exploit unknown or itself: "${from}"`);
    }
    // A newer exploit replaces one still waiting for its donor's save: the latest perturbation wins, as in Ray.
    this.dropExploitWait(trial);
    if (this.donorReady(donor)) {
      this.restoreWaitingFromDonor(trial, donor, config);
      if (!this.waiting.includes(trial)) this.addWaiting(trial);
      return;
    }
    const at = this.waiting.indexOf(trial);
    if (at >= 0) this.waiting.splice(at, 1);
    this.waitForDonor(trial, donor, config);
  }

  private restoreWaitingFromDonor(trial: Trial, donor: Trial, config: Config): void {
    const checkpoint = donor.latestCheckpoint;
    if (!checkpoint) return;
    this.trace?.emit(this.executor.now(), "exploit", { trial: trial.id, from: donor.id, iteration: checkpoint.iteration });
    if (this.callbacks) this.exploited(trial, donor, checkpoint, config, undefined);
    trial.config = config;
    trial.restoreFrom = checkpoint;
    trial.adoptCheckpoint(checkpoint);
    this.retention.adopt(trial, checkpoint.trialId);
  }

  private restoreFromDonor(trial: Trial, donor: Trial, config: Config, reason?: string): void {
    const checkpoint = donor.latestCheckpoint;
    if (!checkpoint) {
      // The donor ended without ever saving: nothing to copy, the trial goes on as it was.
      this.executor.continueTrial(trial.id);
      return;
    }
    this.trace?.emit(this.executor.now(), "exploit", { trial: trial.id, from: donor.id, iteration: checkpoint.iteration });
    if (this.callbacks) this.exploited(trial, donor, checkpoint, config, reason);
    trial.config = config;
    // The trial now carries the donor's weights and iteration count; its own history stays as it was reported.
    // Its latest checkpoint is the one it restored: a failure, a pause or a later clone of it gets these weights, not its old ones.
    trial.adoptCheckpoint(checkpoint);
    this.retention.adopt(trial, checkpoint.trialId);
    this.executor.restore(trial.id, checkpoint, config);
  }

  private exploited(trial: Trial, donor: Trial, checkpoint: CheckpointRef, config: Config, reason: string | undefined): void {
    this.callbacks?.exploit({
      time: this.executor.now(),
      donor: donor.id,
      recipient: trial.id,
      iteration: checkpoint.iteration,
      timeTotal: checkpoint.timeTotal,
      oldConfig: trial.config,
      newConfig: config,
      reason: reason ?? (donor === trial ? "keeps its weights under a new config" : `copies ${donor.id}'s checkpoint`),
    });
  }

  private releaseExploitWaiters(donor: Trial): void {
    const waiters = this.exploitWaiters.get(donor.id);
    if (!waiters) return;
    this.exploitWaiters.delete(donor.id);
    for (const waiter of waiters) {
      const wait = waiter.exploitWait;
      if (!wait) continue;
      if (waiter.status === "PAUSED" || waiter.status === "PENDING") {
        // Held out of the candidates by exploitWaiting: it may run again now.
        waiter.exploitWait = undefined;
        this.restoreWaitingFromDonor(waiter, donor, wait.config);
        if (!this.waiting.includes(waiter)) this.addWaiting(waiter);
        continue;
      }
      if (waiter.status !== "RUNNING") continue;
      waiter.exploitWait = undefined;
      this.restoreFromDonor(waiter, donor, wait.config);
    }
  }

  private dropExploitWait(trial: Trial): void {
    const wait = trial.exploitWait;
    if (!wait) return;
    trial.exploitWait = undefined;
    const waiters = this.exploitWaiters.get(wait.from);
    if (waiters) this.exploitWaiters.set(wait.from, waiters.filter((w) => w !== trial));
  }

  private restartsSinceResult = { preempted: 0, failed: 0 };

  /**
   * At the first result: a scheduler or searcher ranking by a metric the results
   * do not carry would silently never act (ASHA on "acc" when only "loss" is
   * reported). The experiment fails there, naming the metric and what was reported.
   */
  private checkComponentMetrics(result: Result): void {
    for (const [role, component] of [["scheduler", this.scheduler], ["searcher", this.searcher]] as const) {
      const metric = componentMetric(component);
      if (metric === undefined || metric in result.metrics) continue;
      const name = (component as object).constructor?.name ?? role;
      throw new OptionError(
        `${name}.metric`,
        `the ${role} ranks by "${metric}", but the first result (trial ${result.trialId}, iteration ${result.iteration}) reports only ${Object.keys(result.metrics).map((k) => `"${k}"`).join(", ")}`,
      );
    }
  }

  private noteRestartWithoutResult(preempted: boolean): void {
    const since = this.restartsSinceResult;
    if (preempted) since.preempted++;
    else since.failed++;
    if (since.preempted + since.failed <= MAX_RESTARTS_WITHOUT_RESULT) return;
    throw new DeadlockError(
      `no trial reported a result through the last ${MAX_RESTARTS_WITHOUT_RESULT} restarts (${since.preempted} after preemptions, ${since.failed} after failures), so the experiment cannot make progress: ` +
        (since.preempted >= since.failed
          ? "nodes are preempted faster than trials start and report (lower the preemption rate)"
          : "every retried trial fails again before its first result (fix the trainable, or limit maxFailures)"),
    );
  }

  private fail(trial: Trial, recoverable: boolean, reason: string, stack?: string): void {
    trial.savePending = false;
    trial.afterSave = "none";
    this.dropExploitWait(trial);
    this.trace?.emit(this.executor.now(), "failed", { trial: trial.id, recoverable, reason });
    if (recoverable) {
      trial.preemptions++;
      this.counters.preemptedTrials++;
    } else {
      trial.failures++;
      this.counters.failures++;
    }
    const retry = recoverable || this.maxFailures === -1 || trial.failures <= this.maxFailures;
    this.callbacks?.trialError(trial, { time: this.executor.now(), reason, recoverable, willRetry: retry && !this.stoppingAll });
    if (retry && !this.stoppingAll) {
      this.noteRestartWithoutResult(recoverable);
      trial.status = "PENDING";
      trial.restoreFrom = trial.latestCheckpoint;
      this.addWaiting(trial);
      // Waiters on a donor that died exploit its older checkpoint, or go on without one.
      this.releaseExploitWaiters(trial);
      return;
    }
    trial.status = "ERROR";
    trial.errorMessage = reason;
    trial.errorStack = stack;
    this.releaseExploitWaiters(trial);
    this.scheduler.onTrialError(trial);
    this.searcher.onTrialComplete(trial.id, trial.lastResult, true);
  }

  /** Retention: frees `owner`'s checkpoints beyond `keepCheckpoints` that no trial may restore any more. */
  private collectCheckpoints(owner: Trial): void {
    for (const checkpoint of this.retention.collect(owner)) {
      this.counters.checkpointsDiscarded++;
      this.trace?.emit(this.executor.now(), "checkpoint_discarded", { trial: checkpoint.trialId, iteration: checkpoint.iteration });
      this.executor.discard?.(checkpoint);
    }
  }

  // ---- placement ---------------------------------------------------------

  private afterEvent(): void {
    if (this.finishedFlag) return;
    const blockedByCapacity = this.fill();
    if (this.running === 0 && !blockedByCapacity) this.finish();
  }

  /**
   * Starts trials while resources allow. Returns true when it stopped only for
   * lack of free resources (so the experiment is not over: a node may come back).
   */
  private fill(): boolean {
    if (this.stoppingAll) return false;
    let createdWithoutStart = false;
    for (;;) {
      // Ask the scheduler only when its choice can start: a choice that cannot be placed
      // is dropped, and schedulers act on their choices (ASHA marks a promotion).
      if (this.waiting.length > 0 && this.running > 0 && !this.executor.canPlace(this.resources)) return true;
      const choice = this.waiting.length > 0 ? this.scheduler.chooseTrialToRun(this.waiting) : undefined;
      if (choice) {
        const trial = this.byId.get(choice.id);
        if (!trial || (trial.status !== "PENDING" && trial.status !== "PAUSED")) {
          throw new ContractError("Scheduler.chooseTrialToRun", `scheduler chose trial "${choice.id}", which is not a candidate`);
        }
        if (!this.executor.canPlace(trial.resources)) return true;
        this.startTrial(trial);
        createdWithoutStart = false;
        continue;
      }
      // A scheduler that will not run even a brand-new trial must not make us create trials forever.
      if (createdWithoutStart || this.searcherDone || this.all.length >= this.maxTrials) return false;
      if (!this.executor.canPlace(this.resources)) return true;
      const id = trialIdFor(this.all.length);
      const suggestion = this.searcher.suggest(id);
      if (suggestion === "done") {
        this.searcherDone = true;
        // Ask the scheduler once more: knowing no trial will come, it may resume what it held back.
        continue;
      }
      // "wait": the searcher needs a running trial to finish first; if none runs, nothing will change.
      if (suggestion === "wait") return this.running > 0;
      const trial = new Trial(id, this.all.length, suggestion, this.resources);
      this.all.push(trial);
      this.byId.set(id, trial);
      this.addWaiting(trial);
      this.trace?.emit(this.executor.now(), "trial_add", { trial: id, config: suggestion });
      this.scheduler.onTrialAdd(trial);
      createdWithoutStart = true;
    }
  }

  /** Keeps candidates in creation order, as the Scheduler contract promises. */
  private addWaiting(trial: Trial): void {
    const waiting = this.waiting;
    let i = waiting.length;
    while (i > 0 && (waiting[i - 1] as Trial).index > trial.index) i--;
    waiting.splice(i, 0, trial);
  }

  private startTrial(trial: Trial): void {
    const at = this.waiting.indexOf(trial);
    if (at < 0) throw new ContractError("Scheduler.chooseTrialToRun", `trial "${trial.id}" is not among the candidates`);
    this.waiting.splice(at, 1);
    const restoreFrom = trial.restoreFrom;
    trial.restoreFrom = undefined;
    // Results after the checkpoint will be re-done (all of them without one); drop them so
    // iterations stay 1..k without gaps.
    this.counters.redoneIterations += trial.dropResultsToRedo(restoreFrom !== undefined);
    if (this.callbacks && trial.status === "PAUSED") this.decided(trial, "resume", "chosen to run again by the scheduler", "scheduler");
    trial.status = "RUNNING";
    this.running++;
    this.callbacks?.trialStart(trial, { time: this.executor.now(), restoreFrom });
    this.trace?.emit(this.executor.now(), "start", { trial: trial.id, restore: restoreFrom?.iteration ?? null });
    if (restoreFrom) this.executor.start(trial, restoreFrom);
    else this.executor.start(trial);
  }

  private stopEverything(): void {
    for (const trial of this.all) {
      if (trial.status === "RUNNING" && !trial.savePending) this.terminate(trial);
      else if (trial.status === "RUNNING") trial.afterSave = "stop";
    }
    this.terminateWaiting();
  }

  private terminateWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const trial of waiting) {
      trial.status = "TERMINATED";
      trial.restoreFrom = undefined;
      this.scheduler.onTrialComplete(trial, trial.lastResult);
      this.searcher.onTrialComplete(trial.id, trial.lastResult, false);
      this.callbacks?.trialComplete(trial, this.executor.now());
    }
  }

  private finish(): void {
    // Paused or pending trials the scheduler will never run again end here: none is left hanging.
    this.terminateWaiting();
    for (const trial of this.all) this.collectCheckpoints(trial);
    this.finishedFlag = true;
    this.trace?.emit(this.executor.now(), "experiment_end", { trials: this.all.length });
    this.callbacks?.experimentEnd({ time: this.executor.now(), trials: this.all });
  }

  /** A scheduler's re-allocation of a waiting trial (ResourceChangingScheduler); it takes effect at the trial's next start. */
  private setTrialResources(trialId: string, resources: Resources): void {
    const trial = this.byId.get(trialId);
    if (!trial || (trial.status !== "PAUSED" && trial.status !== "PENDING")) {
      throw new ContractError("SchedulerContext.setTrialResources", `trial "${trialId}" is not a PAUSED or PENDING trial; resources change only between a checkpoint and its restore`);
    }
    if (!this.executor.couldEverPlace(resources)) {
      throw new ContractError("SchedulerContext.setTrialResources", `no node of the cluster fits cpu=${resources.cpu} gpu=${resources.gpu} for trial ${trialId}`);
    }
    trial.reallocate(resources);
    this.trace?.emit(this.executor.now(), "resources", { trial: trial.id, cpu: resources.cpu, gpu: resources.gpu });
  }

  private schedulerContext(): SchedulerContext {
    return {
      now: () => this.executor.now(),
      trials: () => this.all,
      requestCheckpoint: (trialId) => {
        const trial = this.byId.get(trialId);
        if (trial && trial.status === "RUNNING") trial.checkpointRequested = true;
      },
      exploitWaiting: (trialId, from, config) => this.exploitWaiting(trialId, from, config),
      clusterResources: () => this.executor.totalResources?.(),
      couldEverPlace: (resources) => this.executor.couldEverPlace(resources),
      setTrialResources: (trialId, resources) => this.setTrialResources(trialId, resources),
      moreTrialsPossible: () => !this.searcherDone && !this.stoppingAll && this.all.length < this.maxTrials,
      stopWaiting: (trialId, reason) => {
        const trial = this.byId.get(trialId);
        if (!trial || !this.waiting.includes(trial)) return;
        // A fresh array: the scheduler may be iterating the candidates it was handed.
        this.waiting = this.waiting.filter((t) => t !== trial);
        trial.status = "TERMINATED";
        trial.restoreFrom = undefined;
        this.trace?.emit(this.executor.now(), "stop", { trial: trial.id, iteration: trial.iteration });
        if (this.callbacks) this.decided(trial, "stop", reason ?? "stopped while waiting", "scheduler");
        this.scheduler.onTrialComplete(trial, trial.lastResult);
        this.searcher.onTrialComplete(trial.id, trial.lastResult, false);
        this.callbacks?.trialComplete(trial, this.executor.now());
      },
    };
  }
}


/** The metric a scheduler or searcher ranks by, where it exposes one (`metric`, or `options.metric`). */
function componentMetric(component: unknown): string | undefined {
  const c = component as { metric?: unknown; options?: { metric?: unknown } };
  const metric = typeof c.metric === "string" ? c.metric : typeof c.options?.metric === "string" ? c.options.metric : undefined;
  return metric === "" ? undefined : metric;
}
