import { CONTINUE, ContractError, objectivity, OptionError, PAUSE, pauseBecause, SavedStateError, timeAttrOf } from "../../../core/contracts/index.ts";
import type {
  Config,
  Decision,
  Json,
  Mode,
  Objectivity,
  Result,
  Scheduler,
  SchedulerContext,
  TrialView,
} from "../../../core/contracts/index.ts";
import { rngFor, type Rng, type RngState } from "../../../core/rng.ts";
import { explore, missingMutatedKey, validateMutations, type CustomExploreFn, type MutationSpec } from "./mutations.ts";
import type { Policy, PolicyEntry } from "./policy.ts";
import { pbtQuantiles } from "./quantiles.ts";
import { quantileLists, RankedPopulation, type QuantileView } from "./ranked-population.ts";
import { CandidateIndex } from "../_internals/candidate-index.ts";

export interface PopulationBasedTrainingOptions {
  metric: string;
  mode: Mode;
  /** Seed of the scheduler's random stream (donor choice, explore). @defaultValue 0 */
  seed?: number;
  /** Result attribute that measures progress: "time_total_s", "training_iteration" or a metric name. @defaultValue "time_total_s" */
  timeAttr?: string;
  /** A trial is considered for exploit/explore every this many `timeAttr` units. @defaultValue 60 */
  perturbationInterval?: number;
  /** No perturbation before `timeAttr` reaches this. @defaultValue 0 */
  burnInPeriod?: number;
  /** Hyperparameters to mutate (see `Mutation`). At least one of this or `customExploreFn`. */
  hyperparamMutations?: MutationSpec;
  /** Fraction of the population in the top and in the bottom quantile, in [0, 0.5]. @defaultValue 0.25 */
  quantileFraction?: number;
  /** Chance of resampling a mutated hyperparameter instead of perturbing it. @defaultValue 0.25 */
  resampleProbability?: number;
  /** Factors a continuous hyperparameter is multiplied by (one chosen at random). @defaultValue [1.2, 0.8] */
  perturbationFactors?: readonly number[];
  /** Applied after the built-in mutations. */
  customExploreFn?: CustomExploreFn;
  /** Perturb only when every live trial has reached the same `timeAttr` point (Jaderberg et al. A.1). @defaultValue false */
  synch?: boolean;
  /** Throw when a result lacks `timeAttr` (else such results are ignored). @defaultValue true */
  requireAttrs?: boolean;
}

/** What PBT tracks per trial (Ray's _PBTTrialState). */
interface MemberState {
  /** sign * metric at the last perturbation point; null before the first. */
  lastScore: number | null;
  /** True when the trial was in the top quantile at its last perturbation (and so saved a checkpoint to donate). */
  donor: boolean;
  lastPerturbationTime: number;
  lastTrainTime: number;
  /** The trial's lineage of exploits (its policy), confirmed ones only. */
  policy: PolicyEntry[];
  /** An exploit decided but not yet seen carried out (confirmed at the trial's next result). */
  pending: { entry: PolicyEntry; lineage: PolicyEntry[] } | null;
  /** The last clone decided ("donor@iteration<-own iteration") and how many times in a row (absent in older saved states). */
  lastClone?: string;
  sameClones?: number;
}

/** Identical clones in a row (same donor checkpoint, same own iteration) before PBT stops repeating one. */
const MAX_SAME_CLONES = 3;

const SAVE_VERSION = 1;

/**
 * Population Based Training (Jaderberg et al. 2017), with Ray Tune's options,
 * defaults and decisions (see `PopulationBasedTrainingOptions`). Every trial is
 * a population member; when a trial reaches a perturbation point it is ranked
 * by its latest score: a top-quantile trial saves a checkpoint (to donate), a
 * bottom-quantile trial clones the checkpoint of a random top-quantile trial
 * (exploit) and explores its config. With more trials than resources, a trial
 * at a perturbation point pauses when others wait, and the trial with the
 * least `timeAttr` runs next, so progress stays balanced.
 *
 * What differs from Ray (fixes): a trial never exploits a donor whose checkpoint
 * is not there yet (the loop waits for the save); the restored checkpoint is the
 * one current when the exploit is decided; in synchronous mode a trial that fails,
 * ends or is preempted never leaves the others waiting at the barrier. Each
 * trial's policy (its lineage of exploits) is kept in memory: `policy(trialId)`,
 * `policyLog()`; `PopulationBasedTrainingReplay` replays one.
 */
export class PopulationBasedTraining implements Scheduler {
  protected readonly objective: Objectivity;
  protected readonly timeAttr: string;
  protected readonly perturbationInterval: number;
  protected readonly burnInPeriod: number;
  protected readonly mutations: MutationSpec;
  protected readonly quantileFraction: number;
  protected readonly resampleProbability: number;
  protected readonly perturbationFactors: readonly number[];
  protected readonly customExploreFn: CustomExploreFn | undefined;
  protected readonly synch: boolean;
  protected readonly requireAttrs: boolean;
  protected readonly seed: number;
  protected rng: Rng;
  protected context: SchedulerContext | undefined;
  protected readonly members = new Map<string, MemberState>();
  private nextPerturbationSync: number;
  /** Synchronous mode: exploits decided for trials that were still saving at the barrier; applied once they wait. */
  private readonly deferredExploits = new Map<string, { from: string; config: Config }>();
  private readonly log: PolicyEntry[] = [];
  /** Synchronous mode: the trial whose result triggered the perturbation (it gets its exploit as a decision). */
  private reportingTrial: string | undefined = undefined;
  private checkpointCount = 0;
  private perturbationCount = 0;
  /**
   * Asynchronous mode's indexes, all rebuilt from the state above (never saved):
   * the live scored members ranked by their last score (the quantiles), the
   * loop's candidates (onCandidateChange) ranked by their last train time (the
   * one to run next), and the views by id. `ranked` is off (undefined) until
   * built, and for good once a score cannot be ordered (NaN): the sort then.
   */
  private ranked: RankedPopulation | undefined;
  private rankedBroken = false;
  private readonly candidates = new CandidateIndex();
  private readonly byTrainTime = new RankedPopulation();
  private byTrainTimeBroken = false;
  private readonly views = new Map<string, TrialView>();
  /** Trials before this position of `trials()` have all ended (ended stays ended): where the scan for a waiting one starts. */
  private endedPrefix = 0;

  constructor(options: PopulationBasedTrainingOptions, owner = "PopulationBasedTraining") {
    if (typeof options !== "object" || options === null) throw new OptionError(owner, "needs an options object");
    this.objective = objectivity(options, owner);
    this.timeAttr = options.timeAttr ?? "time_total_s";
    if (typeof this.timeAttr !== "string" || this.timeAttr.length === 0) throw new OptionError(`${owner}.timeAttr`, "must be a non-empty string");
    this.perturbationInterval = options.perturbationInterval ?? 60;
    if (!(this.perturbationInterval > 0) || !Number.isFinite(this.perturbationInterval)) {
      throw new OptionError(`${owner}.perturbationInterval`, `must be a positive number, got ${this.perturbationInterval}`);
    }
    this.burnInPeriod = options.burnInPeriod ?? 0;
    if (!(this.burnInPeriod >= 0) || !Number.isFinite(this.burnInPeriod)) {
      throw new OptionError(`${owner}.burnInPeriod`, `must be a finite number >= 0, got ${this.burnInPeriod}`);
    }
    this.mutations = options.hyperparamMutations ?? {};
    validateMutations(this.mutations, `${owner}.hyperparamMutations`);
    this.customExploreFn = options.customExploreFn;
    if (this.customExploreFn !== undefined && typeof this.customExploreFn !== "function") {
      throw new OptionError(`${owner}.customExploreFn`, "must be a function (config, random) => config");
    }
    if (Object.keys(this.mutations).length === 0 && this.customExploreFn === undefined) {
      throw new OptionError(`${owner}.hyperparamMutations`, "give at least one of hyperparamMutations or customExploreFn");
    }
    this.quantileFraction = options.quantileFraction ?? 0.25;
    if (!(this.quantileFraction >= 0 && this.quantileFraction <= 0.5)) {
      throw new OptionError(`${owner}.quantileFraction`, `must be between 0 and 0.5, got ${this.quantileFraction}`);
    }
    this.resampleProbability = options.resampleProbability ?? 0.25;
    if (!(this.resampleProbability >= 0 && this.resampleProbability <= 1)) {
      throw new OptionError(`${owner}.resampleProbability`, `must be between 0 and 1, got ${this.resampleProbability}`);
    }
    this.perturbationFactors = options.perturbationFactors ?? [1.2, 0.8];
    if (!Array.isArray(this.perturbationFactors) || this.perturbationFactors.length === 0 || !this.perturbationFactors.every((f) => Number.isFinite(f))) {
      throw new OptionError(`${owner}.perturbationFactors`, `must be a non-empty list of finite numbers, got ${JSON.stringify(this.perturbationFactors)}`);
    }
    this.synch = options.synch ?? false;
    this.requireAttrs = options.requireAttrs ?? true;
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.seed)) throw new OptionError(`${owner}.seed`, `must be an integer, got ${this.seed}`);
    this.rng = rngFor(this.seed, `scheduler:${owner}`);
    this.nextPerturbationSync = Math.max(this.perturbationInterval, this.burnInPeriod);
  }

  // ---- public read-outs ----------------------------------------------------

  /** The exploits of `trialId`'s lineage, oldest first (Ray's pbt_policy_<trial>.txt). */
  policy(trialId: string): Policy {
    return this.members.get(trialId)?.policy.slice() ?? [];
  }

  /** Every exploit carried out, in order (Ray's pbt_global.txt). */
  policyLog(): Policy {
    return this.log.slice();
  }

  /** The bottom and top quantiles of the live population now, by their last perturbation scores (trial ids). */
  currentQuantiles(): { lower: readonly string[]; upper: readonly string[] } {
    return this.quantiles();
  }

  get stats(): { checkpoints: number; perturbations: number } {
    return { checkpoints: this.checkpointCount, perturbations: this.perturbationCount };
  }

  // ---- Scheduler -------------------------------------------------------------

  setContext(context: SchedulerContext): void {
    this.context = context;
  }

  onTrialAdd(trial: TrialView): void {
    const missing = missingMutatedKey(trial.config, this.mutations);
    if (missing !== undefined) {
      throw new OptionError("hyperparamMutations", `trial ${trial.id}'s config has no "${missing}" to mutate; put it in the search space`);
    }
    this.members.set(trial.id, freshMember());
    this.views.set(trial.id, trial);
    this.trainTimeChanged(trial.id);
  }

  onCandidateChange(trial: TrialView, candidate: boolean): void {
    this.candidates.change(trial, candidate);
    if (this.synch) return;
    if (candidate) this.byTrainTime.set(trial.id, trial.index, this.members.get(trial.id)?.lastTrainTime ?? 0);
    else this.byTrainTime.delete(trial.id);
    if (!RankedPopulation.rankable(this.members.get(trial.id)?.lastTrainTime ?? 0)) this.byTrainTimeBroken = true;
  }

  onTrialResult(trial: TrialView, result: Result): Decision {
    const state = this.member(trial.id);
    this.confirmPending(trial, state, result);
    const time = timeAttrOf(result, this.timeAttr);
    const value = result.metrics[this.objective.metric];
    if (time === undefined || value === undefined) {
      if (this.requireAttrs) {
        throw new OptionError(
          time === undefined ? "timeAttr" : "metric",
          `result of trial ${trial.id} has no "${time === undefined ? this.timeAttr : this.objective.metric}" (set requireAttrs: false to ignore such results)`,
        );
      }
      return CONTINUE;
    }
    if (time < this.burnInPeriod) return CONTINUE;
    if (time - state.lastPerturbationTime < this.perturbationInterval) return CONTINUE;

    this.recordPerturbationPoint(trial, state, time, this.objective.sign * value, result);
    if (!this.synch) {
      state.lastPerturbationTime = time;
      const exploit = this.checkpointOrExploit(trial, this.asyncQuantiles());
      if (exploit) return exploit;
      // Trials waiting for resources, or not yet created, get their turn (time-multiplexing the population).
      const othersWait = this.moreTrialsComing() || this.anotherWaits(trial.id);
      return othersWait ? pauseBecause("perturbation point: yields its worker to waiting trials") : CONTINUE;
    }
    // Trials the loop has yet to create are behind the barrier too (Ray creates the whole population up front).
    const behind =
      this.moreTrialsComing() || this.liveTrials().some((t) => t.id !== trial.id && this.member(t.id).lastTrainTime < this.nextPerturbationSync);
    if (behind) return pauseBecause("waiting at the synchronous perturbation barrier");
    return this.synchronize(time, trial.id) ?? PAUSE;
  }

  onTrialComplete(trial: TrialView, _last?: Result): void {
    this.ranked?.delete(trial.id);
    this.dropPending(trial.id);
    if (this.synch) this.synchronizeIfBarrierReached();
  }

  onTrialError(trial: TrialView): void {
    this.ranked?.delete(trial.id);
    this.dropPending(trial.id);
    if (this.synch) this.synchronizeIfBarrierReached();
  }

  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    if (this.synch) {
      this.applyDeferredExploits();
      if (!this.pickCandidate(candidates)) this.synchronizeIfBarrierReached();
    }
    const choice = this.pickCandidate(candidates);
    // The population is every trial the loop may create: a member not yet created (time 0) goes before a paused one.
    if (choice && choice.status === "PAUSED" && this.moreTrialsComing()) return undefined;
    return choice;
  }

  save(): Json {
    return {
      version: SAVE_VERSION,
      rng: this.rng.save() as unknown as Json,
      nextPerturbationSync: this.nextPerturbationSync,
      checkpoints: this.checkpointCount,
      perturbations: this.perturbationCount,
      members: [...this.members].map(([id, m]) => [id, structuredClone(m)]) as unknown as Json,
      deferred: [...this.deferredExploits] as unknown as Json,
      log: structuredClone(this.log) as unknown as Json,
      extra: this.saveExtra(),
    };
  }

  restore(saved: Json): void {
    const s = saved as unknown as SavedPbt;
    if (!s || s.version !== SAVE_VERSION) throw new SavedStateError("PopulationBasedTraining.restore", `unknown version ${String(s?.version)}`);
    this.rng.restore(s.rng);
    this.nextPerturbationSync = s.nextPerturbationSync;
    this.checkpointCount = s.checkpoints;
    this.perturbationCount = s.perturbations;
    this.members.clear();
    for (const [id, m] of s.members) this.members.set(id, structuredClone(m));
    this.deferredExploits.clear();
    for (const [id, d] of s.deferred) this.deferredExploits.set(id, d);
    this.log.length = 0;
    this.log.push(...structuredClone(s.log));
    // The indexes are rebuilt from the restored members (the loop announces its candidates again).
    this.ranked = undefined;
    this.rankedBroken = false;
    this.candidates.reset();
    this.byTrainTime.clear();
    this.byTrainTimeBroken = false;
    this.views.clear();
    this.endedPrefix = 0;
    this.restoreExtra(s.extra);
  }

  // ---- hooks for PB2 ---------------------------------------------------------

  /** Called at every perturbation point after the score is recorded (PB2 logs its data here). */
  protected onPerturbationPoint(_trial: TrialView, _time: number, _score: number): void {}

  /** The config a bottom trial gets from its donor. PBT: explore the donor's config. */
  protected newConfig(_trial: TrialView, donor: TrialView): Config {
    return explore(
      donor.config,
      this.mutations,
      { resampleProbability: this.resampleProbability, perturbationFactors: this.perturbationFactors, customExploreFn: this.customExploreFn },
      this.rng.uniform,
    ).config;
  }

  protected saveExtra(): Json {
    return null;
  }

  protected restoreExtra(_extra: Json): void {}

  // ---- internals -------------------------------------------------------------

  private recordPerturbationPoint(trial: TrialView, state: MemberState, time: number, score: number, _result: Result): void {
    state.lastScore = score;
    state.lastTrainTime = time;
    this.trainTimeChanged(trial.id);
    if (this.ranked) {
      if (RankedPopulation.rankable(score)) this.ranked.set(trial.id, trial.index, score);
      else {
        this.ranked = undefined;
        this.rankedBroken = true;
      }
    }
    this.onPerturbationPoint(trial, time, score);
  }

  /** Ray's _checkpoint_or_exploit; returns the decision for a running trial that exploits. */
  private checkpointOrExploit(trial: TrialView, quantiles: QuantileView): Decision | undefined {
    const state = this.member(trial.id);
    if (quantiles.inUpper(trial.id)) {
      // A paused trial already holds a checkpoint of its current weights; a running one saves after this result.
      if (trial.status === "RUNNING") this.ctx().requestCheckpoint(trial.id);
      state.donor = true;
      this.checkpointCount++;
    } else {
      state.donor = false;
    }
    if (!quantiles.inLower(trial.id)) return undefined;
    const donorId = quantiles.upperAt(this.rng.int(quantiles.upperSize));
    const donorState = this.member(donorId);
    // Ray skips the exploit when the donor saved nothing at its last perturbation.
    if (!donorState.donor) return undefined;
    const donor = this.view(donorId);
    // Ray #27170: never clone a checkpoint that is not there. A donor that is not running and has no save in
    // flight keeps the checkpoint it has; without one (a preemption lost its pause save) there is nothing to take.
    if (donor.status !== "RUNNING" && !donor.savePending && !donor.latestCheckpoint) return undefined;
    const donorIteration = donor.savePending || !donor.latestCheckpoint ? (donor.lastResult?.iteration ?? 0) : donor.latestCheckpoint.iteration;
    // Cloning again, from the same point, the very checkpoint this trial cloned last only repeats the same
    // steps: a donor that does not move on (paused while this trial holds the only worker) would pull the
    // trial back for ever (Ray #11499). After MAX_SAME_CLONES such clones in a row the trial goes on as it is.
    const clone = `${donorId}@${donorIteration}<-${trial.lastResult?.iteration ?? 0}`;
    const repeats = state.lastClone === clone ? (state.sameClones ?? 0) : 0;
    if (repeats >= MAX_SAME_CLONES) return undefined;
    state.lastClone = clone;
    state.sameClones = repeats + 1;
    const config = this.newConfig(trial, donor);
    const entry: PolicyEntry = {
      trialId: trial.id,
      donorId,
      trialIteration: trial.lastResult?.iteration ?? 0,
      donorIteration,
      donorConfig: structuredClone(donor.config),
      config,
      time: this.ctx().now(),
    };
    state.pending = { entry, lineage: [...donorState.policy] };
    state.lastPerturbationTime = donorState.lastPerturbationTime;
    state.lastTrainTime = donorState.lastTrainTime;
    this.trainTimeChanged(trial.id);
    this.perturbationCount++;
    if (trial.status === "RUNNING") {
      if (this.synch && trial.id !== this.reportingTrial) {
        this.deferredExploits.set(trial.id, { from: donorId, config });
        return undefined;
      }
      return { kind: "exploit", from: donorId, config, reason: `in the bottom quantile: copies ${donorId} from the top quantile` };
    }
    this.exploitWaiting(trial.id, donorId, config);
    return undefined;
  }

  /**
   * Synchronous mode: every live trial has reached the barrier. Ranks them once,
   * top quantile first (they save before anyone clones them), and moves the barrier.
   */
  private synchronize(time: number, reporting: string | undefined): Decision | undefined {
    const { lower, upper } = this.quantiles();
    const live = this.liveTrials().map((t) => t.id);
    const middle = live.filter((id) => !lower.includes(id) && !upper.includes(id));
    let decision: Decision | undefined;
    this.reportingTrial = reporting;
    try {
      const lists = quantileLists(lower, upper);
      for (const id of [...upper, ...middle, ...lower]) {
        this.member(id).lastPerturbationTime = time;
        const d = this.checkpointOrExploit(this.view(id), lists);
        if (id === reporting) decision = d;
      }
    } finally {
      this.reportingTrial = undefined;
    }
    let maxTrainTime = 0;
    for (const m of this.members.values()) maxTrainTime = Math.max(maxTrainTime, m.lastTrainTime);
    this.nextPerturbationSync = Math.max(this.nextPerturbationSync + this.perturbationInterval, maxTrainTime);
    return decision;
  }

  /**
   * Synchronous mode without a reporting trial: when the last trial behind the
   * barrier ended, failed for good, or nothing can run, the waiting trials must
   * not wait forever.
   */
  private synchronizeIfBarrierReached(): void {
    const live = this.liveTrials();
    if (live.length === 0 || this.moreTrialsComing()) return;
    if (live.some((t) => t.status === "RUNNING" || this.member(t.id).lastTrainTime < this.nextPerturbationSync)) return;
    let time = 0;
    for (const t of live) time = Math.max(time, this.member(t.id).lastTrainTime);
    this.synchronize(time, undefined);
  }

  private moreTrialsComing(): boolean {
    return this.ctx().moreTrialsPossible?.() ?? false;
  }

  private applyDeferredExploits(): void {
    for (const [id, { from, config }] of [...this.deferredExploits]) {
      const trial = this.view(id);
      if (trial.status === "RUNNING") continue;
      this.deferredExploits.delete(id);
      if (trial.status === "PAUSED" || trial.status === "PENDING") this.exploitWaiting(id, from, config);
    }
  }

  private exploitWaiting(trialId: string, from: string, config: Config): void {
    const context = this.ctx();
    if (!context.exploitWaiting) {
      throw new ContractError("PopulationBasedTraining.synch", "synchronous PBT needs a loop that can exploit waiting trials (SchedulerContext.exploitWaiting)");
    }
    context.exploitWaiting(trialId, from, config);
  }

  private pickCandidate(candidates: readonly TrialView[]): TrialView | undefined {
    // Asynchronous mode: the candidate with the least train time, the earliest among equals, off the index.
    if (!this.synch && !this.byTrainTimeBroken && this.candidates.mirrors(candidates)) {
      const id = this.byTrainTime.lowest();
      return id === undefined ? undefined : this.candidates.get(id);
    }
    let best: TrialView | undefined;
    let bestTime = Number.POSITIVE_INFINITY;
    for (const t of candidates) {
      if (t.status !== "PENDING" && t.status !== "PAUSED") continue;
      const time = this.member(t.id).lastTrainTime;
      if (this.synch && time >= this.nextPerturbationSync) continue;
      if (time < bestTime) {
        best = t;
        bestTime = time;
      }
    }
    return best;
  }

  /** An exploit counts once the trial reports from the donor's checkpoint with the new config. */
  private confirmPending(trial: TrialView, state: MemberState, result: Result): void {
    const pending = state.pending;
    if (!pending) return;
    state.pending = null;
    const checkpoint = trial.latestCheckpoint;
    if (
      checkpoint === undefined ||
      checkpoint.trialId !== pending.entry.donorId ||
      result.iteration !== checkpoint.iteration + 1 ||
      JSON.stringify(trial.config) !== JSON.stringify(pending.entry.config)
    ) {
      return; // The donor ended without a checkpoint: the trial went on as it was.
    }
    const entry = { ...pending.entry, donorIteration: checkpoint.iteration };
    state.policy = [...pending.lineage, entry];
    this.log.push(entry);
  }

  private dropPending(trialId: string): void {
    const state = this.members.get(trialId);
    if (state) state.pending = null;
    this.deferredExploits.delete(trialId);
  }

  private quantiles(): { lower: string[]; upper: string[] } {
    const scored = [];
    for (const t of this.liveTrials()) {
      const score = this.member(t.id).lastScore;
      if (score !== null) scored.push({ id: t.id, index: t.index, score });
    }
    return pbtQuantiles(scored, this.quantileFraction);
  }

  /** Asynchronous mode: the quantiles off the ranked population (built at the first use, from the members). */
  private asyncQuantiles(): QuantileView {
    if (this.rankedBroken) {
      const { lower, upper } = this.quantiles();
      return quantileLists(lower, upper);
    }
    if (!this.ranked) {
      const ranked = new RankedPopulation();
      for (const t of this.liveTrials()) {
        const score = this.member(t.id).lastScore;
        if (score === null) continue;
        if (!RankedPopulation.rankable(score)) {
          this.rankedBroken = true;
          return this.asyncQuantiles();
        }
        ranked.set(t.id, t.index, score);
      }
      this.ranked = ranked;
    }
    return this.ranked.quantiles(this.quantileFraction);
  }

  /** Whether a trial other than `trialId` is PENDING or PAUSED; ended trials at the front are skipped for good. */
  private anotherWaits(trialId: string): boolean {
    const trials = this.ctx().trials();
    let i = this.endedPrefix <= trials.length ? this.endedPrefix : 0;
    while (i < trials.length && isEnded(trials[i] as TrialView)) i++;
    this.endedPrefix = i;
    for (; i < trials.length; i++) {
      const t = trials[i] as TrialView;
      if (t.id !== trialId && (t.status === "PENDING" || t.status === "PAUSED")) return true;
    }
    return false;
  }

  /** Keeps a candidate's place in the train-time order when its train time changes. */
  private trainTimeChanged(trialId: string): void {
    if (this.synch) return;
    const time = this.members.get(trialId)?.lastTrainTime ?? 0;
    if (!RankedPopulation.rankable(time)) this.byTrainTimeBroken = true;
    const trial = this.candidates.get(trialId);
    if (trial) this.byTrainTime.set(trialId, trial.index, time);
  }

  private liveTrials(): TrialView[] {
    return this.ctx()
      .trials()
      .filter((t) => t.status !== "TERMINATED" && t.status !== "ERROR" && this.members.has(t.id));
  }

  private view(trialId: string): TrialView {
    const known = this.views.get(trialId);
    if (known) return known;
    const trial = this.ctx().trials().find((t) => t.id === trialId);
    if (!trial) throw new OptionError("trialId", `PBT knows no trial "${trialId}"`);
    this.views.set(trialId, trial);
    return trial;
  }

  protected member(trialId: string): MemberState {
    let state = this.members.get(trialId);
    if (!state) {
      state = freshMember();
      this.members.set(trialId, state);
    }
    return state;
  }

  protected ctx(): SchedulerContext {
    if (!this.context) throw new OptionError("setContext", "PopulationBasedTraining needs setContext before use");
    return this.context;
  }
}

function isEnded(t: TrialView): boolean {
  return t.status === "TERMINATED" || t.status === "ERROR";
}

function freshMember(): MemberState {
  return { lastScore: null, donor: false, lastPerturbationTime: 0, lastTrainTime: 0, policy: [], pending: null };
}

interface SavedPbt {
  version: number;
  rng: RngState;
  nextPerturbationSync: number;
  checkpoints: number;
  perturbations: number;
  members: Array<[string, MemberState]>;
  deferred: Array<[string, { from: string; config: Config }]>;
  log: PolicyEntry[];
  extra: Json;
}
