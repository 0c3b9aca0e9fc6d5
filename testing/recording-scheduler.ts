import type { Config, Decision, Json, Result, Scheduler, SchedulerContext, TrialView } from "../core/contracts/index.ts";

export interface SchedulerCall {
  kind: "result";
  trialId: string;
  result: Result;
  decision: Decision;
}

export interface RecordingHooks {
  /** Before each `onTrialResult`; its answer comes back to `after` as `before`. */
  before?: (trial: TrialView, result: Result) => unknown;
  after?: (trial: TrialView, result: Result, decision: Decision, before: unknown) => void;
  /** After every call into the scheduler (add, result, complete, choose). */
  afterAny?: () => void;
}

const DECISION_KINDS = new Set(["continue", "pause", "stop", "exploit"]);

function describeDecision(d: Decision): string {
  return d.kind === "exploit" ? `exploit from ${d.from} config ${JSON.stringify(d.config)}` : d.kind;
}

/**
 * Wraps a scheduler: records each call and answer as one trace line (two runs
 * that decide alike have equal traces), checks that every decision and every
 * context call is legal for the trial's state at that moment, and lets a test
 * look before and after each call.
 *
 * Legal means: a decision is one of continue/pause/stop/exploit; an exploit names
 * a known trial that holds a checkpoint or will save one (a save in flight or
 * asked for through `requestCheckpoint`); a chosen trial is one of the PENDING or
 * PAUSED candidates; `stopWaiting` and `exploitWaiting` name a PAUSED or PENDING
 * trial (never a finished one); `requestCheckpoint` names a RUNNING trial.
 */
export class RecordingScheduler implements Scheduler {
  readonly calls: SchedulerCall[] = [];
  /** Ids of the chosen trials, in order. */
  readonly chosen: string[] = [];
  /** Every trial the scheduler ever chose to run, or ended while it waited. */
  readonly everChosen = new Set<string>();
  readonly stoppedWaiting = new Set<string>();
  /** Trials offered to `chooseTrialToRun` before they ever ran, and not chosen (or stopped) since: left at the end, they starved. */
  readonly offeredPending = new Set<string>();
  readonly trace: string[] = [];
  readonly violations: string[] = [];
  /** Trace length and executor clock at the first violation, to cut a report there. */
  firstViolationAt: { call: number; time: number } | undefined;
  context: SchedulerContext | undefined;
  private readonly checkpointAsked = new Set<string>();
  private readonly reported = new Set<string>();

  constructor(
    public inner: Scheduler,
    private readonly hooks: RecordingHooks = {},
  ) {}

  private illegal(message: string): void {
    this.violations.push(message);
    this.firstViolationAt ??= { call: this.trace.length, time: this.context?.now() ?? 0 };
  }

  private find(id: string): TrialView | undefined {
    return this.context?.trials().find((t) => t.id === id);
  }

  private checkDonor(trialId: string, from: string, how: string): void {
    if (from === trialId) return;
    const donor = this.find(from);
    if (!donor) {
      this.illegal(`${how}: ${trialId} exploits unknown trial "${from}"`);
      return;
    }
    const willSave = donor.savePending || (donor.status === "RUNNING" && this.checkpointAsked.has(from));
    if (donor.latestCheckpoint === undefined && !willSave) {
      this.illegal(`${how}: ${trialId} exploits ${from} (${donor.status}), which has no checkpoint and was never asked to save one`);
    }
  }

  setContext(context: SchedulerContext): void {
    this.context = context;
    const wrapped: SchedulerContext = {
      now: () => context.now(),
      trials: () => context.trials(),
      requestCheckpoint: (trialId) => {
        const t = this.find(trialId);
        this.trace.push(`requestCheckpoint ${trialId}`);
        if (!t || t.status !== "RUNNING") this.illegal(`requestCheckpoint of ${trialId}, which is ${t?.status ?? "unknown"}, not RUNNING`);
        else this.checkpointAsked.add(trialId);
        context.requestCheckpoint(trialId);
      },
    };
    if (context.moreTrialsPossible) {
      const more = context.moreTrialsPossible.bind(context);
      wrapped.moreTrialsPossible = () => more();
    }
    if (context.stopWaiting) {
      const stopWaiting = context.stopWaiting.bind(context);
      wrapped.stopWaiting = (trialId) => {
        const t = this.find(trialId);
        this.trace.push(`stopWaiting ${trialId}`);
        if (!t || t.status === "TERMINATED" || t.status === "ERROR") {
          this.illegal(`stopWaiting of ${trialId}, which is ${t?.status ?? "unknown"}: a stop of a finished trial`);
        } else if (t.status === "PAUSED" || t.status === "PENDING") {
          this.stoppedWaiting.add(trialId);
          this.offeredPending.delete(trialId);
        }
        stopWaiting(trialId);
      };
    }
    if (context.exploitWaiting) {
      const exploitWaiting = context.exploitWaiting.bind(context);
      wrapped.exploitWaiting = (trialId: string, from: string, config: Config) => {
        const t = this.find(trialId);
        this.trace.push(`exploitWaiting ${trialId} from ${from} config ${JSON.stringify(config)}`);
        if (!t || (t.status !== "PAUSED" && t.status !== "PENDING")) {
          this.illegal(`exploitWaiting of ${trialId}, which is ${t?.status ?? "unknown"}, not PAUSED or PENDING`);
          return;
        }
        this.checkDonor(trialId, from, "exploitWaiting");
        exploitWaiting(trialId, from, config);
      };
    }
    this.inner.setContext(wrapped);
  }

  onTrialAdd(trial: TrialView): void {
    this.trace.push(`add ${trial.id} ${JSON.stringify(trial.config)}`);
    this.inner.onTrialAdd(trial);
    this.hooks.afterAny?.();
  }

  onTrialResult(trial: TrialView, result: Result): Decision {
    this.reported.add(trial.id);
    const before = this.hooks.before?.(trial, result);
    const decision = this.inner.onTrialResult(trial, result);
    const kind = (decision as { kind?: unknown } | undefined)?.kind;
    const legal = typeof kind === "string" && DECISION_KINDS.has(kind);
    this.trace.push(`result ${trial.id} #${result.iteration} ${result.metrics[Object.keys(result.metrics)[0] as string]} -> ${legal ? describeDecision(decision) : JSON.stringify(decision)}`);
    if (!legal) {
      this.illegal(`onTrialResult(${trial.id}, iteration ${result.iteration}) answered ${JSON.stringify(decision)}, not a Decision`);
    } else if (decision.kind === "exploit") {
      this.checkDonor(trial.id, decision.from, "exploit decision");
    }
    this.calls.push({ kind: "result", trialId: trial.id, result, decision });
    this.hooks.after?.(trial, result, decision, before);
    this.hooks.afterAny?.();
    return decision;
  }

  onTrialComplete(trial: TrialView, last?: Result): void {
    this.trace.push(`complete ${trial.id}`);
    this.inner.onTrialComplete(trial, last);
    this.hooks.afterAny?.();
  }

  onTrialError(trial: TrialView): void {
    this.trace.push(`error ${trial.id}`);
    this.inner.onTrialError(trial);
    this.hooks.afterAny?.();
  }

  /** Forwarded, so the checks run the scheduler's candidate index (when it has one), as the loop does. */
  onCandidateChange(trial: TrialView, candidate: boolean): void {
    this.inner.onCandidateChange?.(trial, candidate);
  }

  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    const ids = candidates.map((c) => c.id);
    for (const c of candidates) if (c.status === "PENDING" && !this.reported.has(c.id)) this.offeredPending.add(c.id);
    const choice = this.inner.chooseTrialToRun(candidates);
    this.trace.push(`choose [${ids.join(",")}] -> ${choice?.id ?? "none"}`);
    if (choice) {
      if (!ids.includes(choice.id)) {
        this.illegal(`chooseTrialToRun picked ${choice.id} (${this.find(choice.id)?.status ?? "unknown"}), which is not among the candidates [${ids.join(",")}]`);
      } else if (choice.status !== "PENDING" && choice.status !== "PAUSED") {
        this.illegal(`chooseTrialToRun picked ${choice.id}, which is ${choice.status}, not PAUSED or PENDING`);
      }
      this.offeredPending.delete(choice.id);
      this.chosen.push(choice.id);
      this.everChosen.add(choice.id);
    }
    this.hooks.afterAny?.();
    return choice;
  }

  save(): Json {
    return this.inner.save();
  }

  restore(state: Json): void {
    this.inner.restore(state);
  }
}
