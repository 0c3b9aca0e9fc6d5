import type { Decision } from "./decision.ts";
import type { Config, Json, Result } from "./result.ts";
import type { Resources, TrialView } from "./trial-view.ts";

/** The narrow view of the loop a scheduler may use. */
export interface SchedulerContext {
  /** Loop clock, seconds. */
  now(): number;
  /** Every trial the loop knows, in creation order. */
  trials(): readonly TrialView[];
  /** Ask for a checkpoint of a running trial at its next result (PBT needs donors to have one). */
  requestCheckpoint(trialId: string): void;
  /**
   * False once the loop will create no more trials (trial budget spent, searcher
   * done, or stopping everything). Schedulers that hold paused trials for trials
   * still to come (synchronous HyperBand) then work with what they have.
   */
  moreTrialsPossible?(): boolean;
  /**
   * Ends a PAUSED or PENDING trial now (TERMINATED; `onTrialComplete` runs from
   * inside this call). No-op for any other trial. For schedulers that decide a
   * waiting trial's fate when another trial reports (HyperBand's halving).
   */
  stopWaiting?(trialId: string, reason?: string): void;
  /**
   * PBT's exploit of a PAUSED or PENDING trial (synchronous mode): when it next
   * starts, it starts from `from`'s checkpoint (the one `from` is saving, if a
   * save is in flight or requested) with `config`. Optional so test doubles
   * need not implement it; the tune loop does.
   */
  exploitWaiting?(trialId: string, from: string, config: Config): void;
  /**
   * CPUs and GPUs of the cluster's usable nodes, busy or not; undefined when the
   * executor cannot tell. For schedulers that share resources out (ResourceChangingScheduler).
   */
  clusterResources?(): Resources | undefined;
  /** Whether some node of the cluster, even a busy one, could hold a trial needing `resources`. */
  couldEverPlace?(resources: Resources): boolean;
  /**
   * Gives a PAUSED or PENDING trial new resources, used from its next start
   * (which restores its checkpoint). A ContractError for any other trial.
   */
  setTrialResources?(trialId: string, resources: Resources): void;
}

/**
 * Decides, per reported result, whether a trial continues, pauses, stops or exploits.
 *
 * Call order: `setContext` once before anything else; `onTrialAdd(t)` when a
 * trial is created; `chooseTrialToRun(candidates)` whenever resources are free
 * (candidates are PENDING or PAUSED trials, creation order); `onTrialResult(t, r)`
 * for every result of a RUNNING trial, whose answer the loop carries out;
 * `onTrialComplete(t, last)` once when a trial ends normally, or `onTrialError(t)`
 * when it ends in ERROR. A trial failing and restoring (maxFailures) is not
 * an error: its re-done iterations come back through `onTrialResult`.
 */
export interface Scheduler {
  setContext(context: SchedulerContext): void;
  onTrialAdd(trial: TrialView): void;
  onTrialResult(trial: TrialView, result: Result): Decision;
  onTrialComplete(trial: TrialView, last?: Result): void;
  onTrialError(trial: TrialView): void;
  /**
   * The candidate to start or resume now, or undefined when none should run
   * (the loop then asks the searcher for a new trial if the budget allows).
   */
  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined;
  /**
   * Optional. The loop announces every change of its candidate list, the one it
   * passes to `chooseTrialToRun`: `true` when a trial joins it (created, paused,
   * back after a failure or a donor's save), `false` when it leaves (started,
   * ended, held back for a donor). With it a scheduler can keep its own ordered
   * index of the candidates and choose in O(log n) instead of scanning the list
   * on every free slot (`algorithms/schedulers/_internals/candidate-index.ts`).
   * Announcements may come from inside the scheduler's own calls (a trial it
   * stops while waiting leaves at once). After `restore` the loop announces its
   * candidates again.
   */
  onCandidateChange?(trial: TrialView, candidate: boolean): void;
  save(): Json;
  restore(state: Json): void;
}
