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
import { readExperiment, saveExperiment, type LoopCounters, type ReadExperiment } from "./experiment-state.ts";
import { validateLoopOptions, type TuneLoopOptions } from "./loop-options.ts";
import { invalidMetrics } from "./result-check.ts";
import type { Stopper } from "./stoppers/index.ts";
import type { EventTrace } from "./trace.ts";
import type { DecisionEvent, DecisionKind } from "./callbacks/index.ts";
import { donorReady, ExploitHandoff, type PendingExploit } from "./exploit-handoff.ts";
import { Trial, trialIdFor, trialIndexOf, type AfterSave } from "./trial.ts";

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
  /** The lists `chooseTrialToRun` calls in progress were handed (nested calls: several): taking a trial out of one goes to a fresh copy. */
  private readonly handedOut: Trial[][] = [];
  /** The trials of `waiting`, for O(1) membership. */
  private readonly isWaiting = new Set<Trial>();
  /** The scheduler's optional `onCandidateChange`: told of every change of `waiting`. */
  private readonly announce: ((trial: TrialView, candidate: boolean) => void) | undefined;
  private running = 0;
  private searcherDone = false;
  private stoppingAll = false;
  private finishedFlag = false;
  /** Restored with the executor's state: the experiment goes on from where it was saved (`begin` has nothing to do). */
  private continued = false;
  /** PBT exploits waiting for their donor's save, keyed by donor. */
  private readonly handoff = new ExploitHandoff();
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
    this.announce = this.scheduler.onCandidateChange?.bind(this.scheduler);
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

  /** PBT exploits waiting for their donor's save now, in the order they will be carried out. */
  pendingExploits(): readonly PendingExploit[] {
    return this.handoff.all();
  }

  /** Starts as many trials as fit. The executor then drives the loop through its events. After an exact `restore`, the experiment has begun already: nothing to do. */
  begin(): void {
    if (this.continued) return;
    this.trace?.emit(this.executor.now(), "experiment_start", { trials: this.maxTrials });
    this.callbacks?.experimentStart({ metric: this.metric, mode: this.mode, maxTrials: this.maxTrials, resources: this.resources, time: this.executor.now() });
    this.fill();
  }

  /**
   * The whole experiment between two events: trials (histories, checkpoints,
   * lifecycle states), pending exploits, searcher, scheduler, stoppers,
   * retention, and the executor's own state when it can save one (the simulator).
   */
  save(): Json {
    return this.saveWith(this.all);
  }

  /** `save()` with no trials: the experiment directory's journal writes the trials that changed itself. */
  saveWithoutTrials(): Json {
    return this.saveWith([]);
  }

  private saveWith(trials: readonly Trial[]): Json {
    return saveExperiment({
      searcherDone: this.searcherDone,
      counters: this.counters,
      trials,
      handoff: this.handoff.save(),
      loop: {
        stoppingAll: this.stoppingAll,
        finished: this.finishedFlag,
        restartsSinceResult: this.restartsSinceResult,
        traceRecords: this.trace?.records ?? 0,
      },
      searcher: this.searcher.save(),
      scheduler: this.scheduler.save(),
      stoppers: this.stoppers.map((st) => st.save()),
      retention: this.retention.save(),
      executor: this.executor.saveState?.() ?? null,
    });
  }

  /**
   * Resumes from `save()` output (call before `begin`), on fresh objects.
   * When the state holds the executor's state and this loop's executor can take
   * it (the simulator), the experiment continues exactly where it was saved:
   * drive the executor on, and the rest of the run is the same, event for event.
   * Otherwise, as after a driver crash, trials that were running go back to
   * PENDING and restart from their latest checkpoint; everything the algorithms
   * knew comes back exactly, pending exploits included.
   */
  restore(state: Json): void {
    if (this.all.length > 0) throw new ContractError("TuneLoop.restore", "must be called on a fresh loop, before begin()");
    const s = readExperiment(state);
    this.searcherDone = s.searcherDone;
    Object.assign(this.counters, s.counters);
    for (const trial of s.trials) {
      this.all.push(trial);
      this.byId.set(trial.id, trial);
    }
    for (const p of s.pendingExploits) {
      if (!this.byId.has(p.donor) || !this.byId.has(p.recipient)) {
        throw new SavedStateError("experiment state", `trial ${p.recipient} waits for unknown donor "${p.donor}"`);
      }
    }
    const exact = s.executor !== null && s.loop !== null && s.handoff !== null && this.executor.restoreState !== undefined;
    if (exact) this.continueExactly(s);
    else this.resumeAfterCrash(s.pendingExploits);
    this.searcher.restore(s.searcher);
    this.scheduler.restore(s.scheduler);
    // A restored scheduler starts its candidate index afresh.
    if (this.announce) for (const trial of this.waiting) this.announce(trial, true);
    this.stoppers.forEach((stopper, i) => stopper.restore(s.stoppers[i] ?? null));
    this.retention.restore(s.retention, this.all);
  }

  /** Every trial in the state it was saved in; the executor's actors, clock and events come back with it. */
  private continueExactly(s: ReadExperiment): void {
    const flags = s.loop as NonNullable<ReadExperiment["loop"]>;
    this.handoff.restore(s.handoff as Json);
    for (const trial of this.all) {
      if (trial.status === "RUNNING") this.running++;
      else if ((trial.status === "PENDING" || trial.status === "PAUSED") && !trial.waitingForDonor) this.addWaiting(trial);
    }
    this.stoppingAll = flags.stoppingAll;
    this.finishedFlag = flags.finished;
    this.restartsSinceResult = { ...flags.restartsSinceResult };
    this.trace?.continueAfter(flags.traceRecords);
    (this.executor as Required<Pick<Executor, "restoreState">>).restoreState(s.executor);
    this.continued = true;
  }

  /**
   * The driver's actors are gone: every trial that will run again restarts from
   * its latest checkpoint. Exploits that were waiting for their donor's save wait
   * again. A donor that will run again (PENDING) is asked to save once it does, so
   * the waiter gets the donor's new weights, as without the resume; a donor that
   * is paused or ended has its final checkpoint, taken at once.
   */
  private resumeAfterCrash(pending: readonly PendingExploit[]): void {
    const waits = new Set(pending.map((p) => p.recipient));
    for (const trial of this.all) {
      if (trial.status === "TERMINATED" || trial.status === "ERROR") continue;
      trial.resumeAfterCrash();
      if (!waits.has(trial.id)) this.addWaiting(trial);
    }
    for (const p of pending) {
      const trial = this.byId.get(p.recipient) as Trial;
      const donor = this.byId.get(p.donor) as Trial;
      if (trial.status === "TERMINATED" || trial.status === "ERROR") continue;
      if (donor.status === "PENDING" && donor !== trial) {
        donor.requestSave();
        this.waitForDonor(trial, donor, p.config);
        continue;
      }
      // A trial that was re-configuring itself (PBT replay) starts from its own checkpoint under the new config.
      if (donor === trial) {
        trial.config = p.config;
        this.addWaiting(trial);
        continue;
      }
      // A donor with its final checkpoint: start from it now (or go on as before when it never saved).
      this.handOver(trial, donor, p.config);
    }
  }

  // ---- executor events ---------------------------------------------------

  /** The trial with this id: by the index its id encodes (no Map lookup on the result path), else the Map. */
  private trialById(id: string): Trial | undefined {
    const index = trialIndexOf(id);
    const trial = index >= 0 ? this.all[index] : undefined;
    return trial !== undefined && trial.id === id ? trial : this.byId.get(id);
  }

  onResult(result: Result): void {
    const trial = this.trialById(result.trialId);
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
    // Its exploit's restore landed: nothing left to undo.
    if (this.beforeExploit.size > 0) this.beforeExploit.delete(trial.id);
    this.counters.results++;
    // Reset in place: a fresh object per result was garbage on the hottest path.
    const since = this.restartsSinceResult;
    if (since.preempted !== 0 || since.failed !== 0) {
      since.preempted = 0;
      since.failed = 0;
    }
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
    const trial = this.trialById(saved.trialId);
    if (!trial || trial.status !== "RUNNING") return;
    this.counters.checkpoints++;
    // Numbered, so retention tells apart two saves of a trial at the same iteration (a re-do after an exploit).
    const checkpoint: CheckpointRef = { ...saved, seq: this.counters.checkpoints };
    // A clone's first save of its own unpins the donor's checkpoint it restored.
    const previousOwner = trial.latestCheckpoint?.trialId;
    const next = trial.saveLanded(checkpoint);
    this.trace?.emit(this.executor.now(), "checkpoint", { trial: trial.id, iteration: checkpoint.iteration });
    this.callbacks?.checkpoint(trial, checkpoint, this.executor.now());
    this.retention.record(checkpoint);
    this.releaseWaiters(trial);
    this.collectCheckpoints(trial);
    const donor = previousOwner === undefined ? undefined : this.byId.get(previousOwner);
    if (donor && donor !== trial) this.collectCheckpoints(donor);
    if (next === "continue") this.executor.continueTrial(trial.id);
    else if (next === "pause") this.release(trial, "PAUSED");
    else if (next === "stop") this.release(trial, "TERMINATED");
    this.afterEvent();
  }

  onFailed(trialId: string, recoverable: boolean, reason: string, stack?: string): void {
    const trial = this.trialById(trialId);
    if (!trial || trial.status !== "RUNNING") return;
    this.beforeExploit.delete(trialId);
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
  onCheckpointUnusable(
    trialId: string,
    checkpoint: CheckpointRef,
    fallback: CheckpointRef | undefined,
    _reason: string,
    live = false,
  ): CheckpointRef | undefined | "fail" {
    const trial = this.byId.get(trialId);
    if (!trial || trial.status !== "RUNNING") return "fail";
    if (checkpoint.trialId !== trialId) {
      const undo = live ? this.beforeExploit.get(trialId) : undefined;
      this.beforeExploit.delete(trialId);
      // A PBT exploit of a damaged donor checkpoint: the donor's previous one (the trial's own results all stand).
      if (fallback) {
        trial.fallBackTo(fallback, trial.historyAtCheckpoint);
        return fallback;
      }
      // None left, and the trial still holds its own weights: the exploit is undone, as if it never happened.
      if (undo) {
        trial.config = undo.config;
        trial.fallBackTo(undo.checkpoint, undo.resultsAtCheckpoint);
        return undefined;
      }
      fallback = undefined;
    }
    let keep = -1;
    if (fallback) for (let i = trial.history.length - 1; i >= 0 && keep < 0; i--) if ((trial.history[i] as Result).iteration === fallback.iteration) keep = i + 1;
    const usable = keep >= 0 ? fallback : undefined;
    if (!usable) {
      if (this.maxFailures !== -1 && trial.failures + 1 > this.maxFailures) return "fail";
      trial.failures++;
      this.counters.failures++;
      keep = 0;
    }
    trial.fallBackTo(usable, keep);
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
      if (trial && trial.status === "RUNNING") trial.requestSave();
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
    if (trial.saveRequested) return true;
    return this.checkpointFrequency > 0 && trial.iteration % this.checkpointFrequency === 0;
  }

  private saveThen(trial: Trial, next: AfterSave): void {
    trial.beginSave(next);
    this.executor.save(trial.id);
  }

  /** A running trial stops (after a last save with `checkpointAtEnd`). An exploit it waited for no longer matters. */
  private terminate(trial: Trial): void {
    this.cancelExploit(trial);
    this.trace?.emit(this.executor.now(), "stop", { trial: trial.id, iteration: trial.iteration });
    if (this.checkpointAtEnd && trial.latestCheckpoint?.iteration !== trial.iteration) this.saveThen(trial, "stop");
    else this.release(trial, "TERMINATED");
  }

  /** Frees a running trial's resources and moves it to PAUSED or TERMINATED. */
  private release(trial: Trial, status: "PAUSED" | "TERMINATED"): void {
    this.executor.stop(trial.id);
    this.running--;
    this.cancelExploit(trial);
    if (status === "TERMINATED") {
      this.endTrial(trial);
      return;
    }
    trial.pause();
    this.addWaiting(trial);
    this.releaseWaiters(trial);
  }

  /**
   * The one way a trial ends (stopped, ended while waiting, or failed for good):
   * its own pending exploit is dropped, the trials waiting on it as a donor take
   * what it has, then the scheduler and the searcher hear of it, in that order.
   * A running trial's resources are freed by the caller.
   */
  private endTrial(trial: Trial, error?: { reason: string; stack: string | undefined }): void {
    this.cancelExploit(trial);
    if (this.isWaiting.has(trial)) {
      // Taken out in place, unless the scheduler is iterating the list it was handed (a
      // stopWaiting from inside chooseTrialToRun): then from a fresh copy, once per call.
      // A copy per ended trial cost O(candidates) each: HyperBand stopping its waiting
      // losers spent a fifth of a 30,000-trial run here (issue 14).
      const waiting = this.ownWaiting();
      waiting.splice(firstAfter(waiting, trial.index) - 1, 1);
      this.isWaiting.delete(trial);
      this.announce?.(trial, false);
    }
    if (error) trial.fail(false, error.reason, error.stack);
    else trial.end();
    this.releaseWaiters(trial);
    if (error) this.scheduler.onTrialError(trial);
    else this.scheduler.onTrialComplete(trial, trial.lastResult);
    this.searcher.onTrialComplete(trial.id, trial.lastResult, error !== undefined);
    if (!error) this.callbacks?.trialComplete(trial, this.executor.now());
  }

  /** A running trial's exploit decision (PBT): take the donor's checkpoint now, or once its save lands. */
  private exploit(trial: Trial, from: string, config: Config, reason?: string): void {
    const donor = this.byId.get(from);
    if (!donor) {
      throw new ContractError("Scheduler.onTrialResult", `scheduler asked trial ${trial.id} to exploit unknown trial "${from}"`);
    }
    if (donor === trial) {
      // A config change that keeps the weights (PBT replay): save now, then restore the trial's own checkpoint under `config`.
      this.handoff.wait(trial.id, trial.id, config);
      this.saveThen(trial, "exploit");
      return;
    }
    // Never restore a checkpoint that is not there yet: wait for the donor's save.
    if (!donorReady(donor)) {
      this.waitForDonor(trial, donor, config);
      return;
    }
    this.handOver(trial, donor, config, reason);
  }

  private waitForDonor(trial: Trial, donor: Trial, config: Config): void {
    if (!donor.savePending && donor.status === "RUNNING") donor.requestSave();
    this.handoff.wait(trial.id, donor.id, config);
    trial.awaitDonor();
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
    this.cancelExploit(trial);
    if (donorReady(donor)) {
      this.handOver(trial, donor, config);
      return;
    }
    this.removeWaiting(trial);
    this.waitForDonor(trial, donor, config);
  }

  /**
   * The one restore path of an exploit: `trial` takes `donor`'s latest checkpoint
   * under `config`. A running trial restores it now; a paused or pending one
   * becomes a candidate that starts from it. Without a checkpoint (the donor ended
   * without ever saving) there is nothing to copy: the trial goes on as it was.
   */
  private handOver(trial: Trial, donor: Trial, config: Config, reason?: string): void {
    const checkpoint = donor.latestCheckpoint;
    if (checkpoint) {
      this.trace?.emit(this.executor.now(), "exploit", { trial: trial.id, from: donor.id, iteration: checkpoint.iteration });
      // What a running trial had before, should the donor's checkpoint prove unusable on restore (onCheckpointUnusable).
      if (trial.status === "RUNNING" && donor !== trial) {
        this.beforeExploit.set(trial.id, { config: trial.config, checkpoint: trial.latestCheckpoint, resultsAtCheckpoint: trial.historyAtCheckpoint });
      }
      if (this.callbacks) this.exploited(trial, donor, checkpoint, config, reason);
      // The trial now carries the donor's weights and iteration count; its own history stays as it was reported.
      // Its latest checkpoint is the one it took: a failure, a pause or a later clone of it gets these weights, not its old ones.
      trial.takeCheckpoint(checkpoint, config);
      this.retention.adopt(trial, checkpoint.trialId);
    }
    if (trial.status === "RUNNING") {
      if (checkpoint) this.executor.restore(trial.id, checkpoint, config);
      else this.executor.continueTrial(trial.id);
    } else if (!this.isWaiting.has(trial)) {
      this.addWaiting(trial);
    }
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

  /** `donor` saved, paused, failed or ended: the trials waiting on it take what it has now. */
  private releaseWaiters(donor: Trial): void {
    for (const pending of this.handoff.release(donor.id)) {
      const waiter = this.byId.get(pending.recipient);
      if (!waiter || waiter.status === "TERMINATED" || waiter.status === "ERROR") continue;
      if (waiter.waitingForDonor) waiter.donorSettled();
      this.handOver(waiter, donor, pending.config);
    }
  }

  /** Drops `trial`'s own pending exploit, if any (it failed, ended, or a newer exploit replaces it). */
  private cancelExploit(trial: Trial): void {
    this.handoff.cancel(trial.id);
    if (trial.waitingForDonor) trial.donorSettled();
  }

  private restartsSinceResult = { preempted: 0, failed: 0 };

  /**
   * Running trials whose exploit's restore has not landed yet: their config and
   * checkpoint before it, to undo the exploit if the donor's checkpoint proves
   * unusable with no earlier one. Not saved: after a crash the trial restarts from
   * the donor's checkpoint, and an unusable one is then a restart from scratch.
   */
  private readonly beforeExploit = new Map<string, { config: Config; checkpoint: CheckpointRef | undefined; resultsAtCheckpoint: number }>();

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
    this.cancelExploit(trial);
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
      trial.fail(true, reason, stack);
      this.addWaiting(trial);
      // Waiters on a donor that died exploit its older checkpoint, or go on without one.
      this.releaseWaiters(trial);
      return;
    }
    this.endTrial(trial, { reason, stack });
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
      const choice = this.waiting.length > 0 ? this.chooseFromWaiting() : undefined;
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

  /** The scheduler's choice among the candidates; while it runs, `waiting` is the scheduler's to read (see ownWaiting). */
  private chooseFromWaiting(): TrialView | undefined {
    this.handedOut.push(this.waiting);
    try {
      return this.scheduler.chooseTrialToRun(this.waiting);
    } finally {
      this.handedOut.pop();
    }
  }

  /**
   * `waiting`, safe to take a trial out of in place: a copy if the scheduler is
   * iterating it now (as the copy per ended trial was; additions and starts change
   * it in place, as before).
   */
  private ownWaiting(): Trial[] {
    if (this.handedOut.includes(this.waiting)) this.waiting = this.waiting.slice();
    return this.waiting;
  }

  /** Keeps candidates in creation order, as the Scheduler contract promises. */
  private addWaiting(trial: Trial): void {
    const waiting = this.waiting;
    waiting.splice(firstAfter(waiting, trial.index), 0, trial);
    this.isWaiting.add(trial);
    this.announce?.(trial, true);
  }

  /** Takes a trial out of the candidates (in place); false when it was not one. */
  private removeWaiting(trial: Trial): boolean {
    if (!this.isWaiting.delete(trial)) return false;
    // Creation order: the trial sits just before the first candidate created after it.
    this.waiting.splice(firstAfter(this.waiting, trial.index) - 1, 1);
    this.announce?.(trial, false);
    return true;
  }

  private startTrial(trial: Trial): void {
    if (!this.removeWaiting(trial)) throw new ContractError("Scheduler.chooseTrialToRun", `trial "${trial.id}" is not among the candidates`);
    const wasPaused = trial.status === "PAUSED";
    const restoreFrom = trial.start();
    // Results after the checkpoint will be re-done (all of them without one); drop them so
    // iterations stay 1..k without gaps.
    this.counters.redoneIterations += trial.dropResultsToRedo(restoreFrom !== undefined);
    if (this.callbacks && wasPaused) this.decided(trial, "resume", "chosen to run again by the scheduler", "scheduler");
    this.running++;
    this.callbacks?.trialStart(trial, { time: this.executor.now(), restoreFrom });
    this.trace?.emit(this.executor.now(), "start", { trial: trial.id, restore: restoreFrom?.iteration ?? null });
    if (restoreFrom) this.executor.start(trial, restoreFrom);
    else this.executor.start(trial);
  }

  private stopEverything(): void {
    for (const trial of this.all) {
      if (trial.status === "RUNNING" && !trial.savePending) this.terminate(trial);
      else if (trial.status === "RUNNING") trial.stopAfterSave();
    }
    this.terminateWaiting();
  }

  /** Ends every candidate; one handed a donor's checkpoint meanwhile becomes a candidate and ends too. */
  private terminateWaiting(): void {
    while (this.waiting.length > 0) {
      const waiting = this.waiting;
      this.waiting = [];
      for (const trial of waiting) {
        this.isWaiting.delete(trial);
        this.announce?.(trial, false);
      }
      for (const trial of waiting) this.endTrial(trial);
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
        if (trial && trial.status === "RUNNING") trial.requestSave();
      },
      exploitWaiting: (trialId, from, config) => this.exploitWaiting(trialId, from, config),
      clusterResources: () => this.executor.totalResources?.(),
      couldEverPlace: (resources) => this.executor.couldEverPlace(resources),
      setTrialResources: (trialId, resources) => this.setTrialResources(trialId, resources),
      moreTrialsPossible: () => !this.searcherDone && !this.stoppingAll && this.all.length < this.maxTrials,
      stopWaiting: (trialId, reason) => {
        const trial = this.byId.get(trialId);
        if (!trial || !this.isWaiting.has(trial)) return;
        this.trace?.emit(this.executor.now(), "stop", { trial: trial.id, iteration: trial.iteration });
        if (this.callbacks) this.decided(trial, "stop", reason ?? "stopped while waiting", "scheduler");
        this.endTrial(trial);
      },
    };
  }
}


/** Position of the first trial created after `index` in a list kept in creation order (binary search). */
function firstAfter(trials: readonly Trial[], index: number): number {
  let lo = 0;
  let hi = trials.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((trials[mid] as Trial).index <= index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The metric a scheduler or searcher ranks by, where it exposes one (`metric`, or `options.metric`). */
function componentMetric(component: unknown): string | undefined {
  const c = component as { metric?: unknown; options?: { metric?: unknown } };
  const metric = typeof c.metric === "string" ? c.metric : typeof c.options?.metric === "string" ? c.options.metric : undefined;
  return metric === "" ? undefined : metric;
}
