import { CONTINUE, OptionError, SavedStateError } from "../../../core/contracts/index.ts";
import type { Config, Decision, Json, Result, Scheduler, SchedulerContext, Searcher, TrialView } from "../../../core/contracts/index.ts";
import { policySchedule, type Policy } from "./policy.ts";

const SAVE_VERSION = 1;

/**
 * Replays a PBT policy (Ray Tune's PopulationBasedTrainingReplay) on one trial:
 * the trial starts with the policy's initial config and, after each logged
 * change point, keeps its weights and switches to the logged config. The
 * switch is an exploit of the trial itself (save, then restore its own
 * checkpoint under the new config), so it costs what a PBT exploit costs.
 *
 * The loop cannot rewrite a trial's first config, so the trial must start with
 * `initialConfig`: run it with `replay.searcher()` (one trial, that config).
 */
export class PopulationBasedTrainingReplay implements Scheduler {
  readonly initialConfig: Config | undefined;
  private readonly changes: ReadonlyArray<{ afterIteration: number; config: Config }>;
  private next = 0;
  private trialId: string | undefined;
  private changesApplied = 0;

  constructor(policy: Policy) {
    if (!Array.isArray(policy)) throw new OptionError("PopulationBasedTrainingReplay.policy", "must be a list of policy entries (PopulationBasedTraining.policy(trialId))");
    const schedule = policySchedule(policy);
    this.initialConfig = schedule?.initialConfig;
    this.changes = schedule?.changes ?? [];
    for (let i = 1; i < this.changes.length; i++) {
      if ((this.changes[i] as { afterIteration: number }).afterIteration < (this.changes[i - 1] as { afterIteration: number }).afterIteration) {
        throw new OptionError("PopulationBasedTrainingReplay.policy", "change points must not go back in iterations");
      }
    }
  }

  /** How many config changes have been carried out so far. */
  get perturbations(): number {
    return this.changesApplied;
  }

  /** A searcher that proposes `initialConfig` once (for `simulate({ searcher })` / `tune`). */
  searcher(): Searcher {
    const config = this.initialConfig;
    if (!config) throw new OptionError("PopulationBasedTrainingReplay.policy", "an empty policy has no initial config; run the trial with its own config");
    let given = false;
    return {
      suggest: () => {
        if (given) return "done";
        given = true;
        return structuredClone(config);
      },
      onTrialComplete: () => {},
      save: () => ({ given }),
      restore: (state) => {
        given = (state as { given: boolean }).given;
      },
    };
  }

  setContext(_context: SchedulerContext): void {}

  onTrialAdd(trial: TrialView): void {
    if (this.trialId !== undefined) {
      throw new OptionError("PopulationBasedTrainingReplay", "more than one trial added: a replay trains one schedule once (use trials: 1)");
    }
    if (this.initialConfig && JSON.stringify(trial.config) !== JSON.stringify(this.initialConfig)) {
      throw new OptionError("PopulationBasedTrainingReplay", `trial ${trial.id} does not start with the policy's initial config; use replay.searcher()`);
    }
    this.trialId = trial.id;
  }

  onTrialResult(trial: TrialView, result: Result): Decision {
    let config: Config | undefined;
    while (this.next < this.changes.length && result.iteration >= (this.changes[this.next] as { afterIteration: number }).afterIteration) {
      config = (this.changes[this.next] as { config: Config }).config;
      this.next++;
    }
    if (!config) return CONTINUE;
    this.changesApplied++;
    return { kind: "exploit", from: trial.id, config: structuredClone(config) };
  }

  onTrialComplete(_trial: TrialView, _last?: Result): void {}
  onTrialError(_trial: TrialView): void {}

  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    return candidates[0];
  }

  save(): Json {
    return { version: SAVE_VERSION, next: this.next, trialId: this.trialId ?? null, applied: this.changesApplied };
  }

  restore(state: Json): void {
    const s = state as { version: number; next: number; trialId: string | null; applied: number };
    if (!s || s.version !== SAVE_VERSION) throw new SavedStateError("PopulationBasedTrainingReplay.restore", "unknown state version");
    this.next = s.next;
    this.trialId = s.trialId ?? undefined;
    this.changesApplied = s.applied;
  }
}
