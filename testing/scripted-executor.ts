import type { CheckpointRef, Config, Executor, ExecutorListener, Resources, Result, TrialView } from "../core/contracts/index.ts";
import type { ScriptStep } from "./event-script.ts";

/** The loop neither finished nor had anything left to wait for (a hang), or ran past its event budget. */
export class ExperimentDidNotEnd extends Error {
  constructor(
    readonly reason: "hang" | "budget",
    message: string,
  ) {
    super(message);
    this.name = "ExperimentDidNotEnd";
  }
}

interface Slot {
  trial: TrialView;
  /** Iteration of the weights the worker holds (a restore sets it to the checkpoint's). */
  iteration: number;
  /** The next thing this trial's worker will report. */
  pending: "step" | "checkpoint" | "none";
  /** When that operation was commanded: in-flight operations report in this order unless the script says otherwise. */
  issued: number;
}

/** What the executor did, one entry per fired event, for a readable counterexample. */
export interface FiredEvent {
  readonly trialId: string;
  readonly kind: "result" | "checkpoint" | "fail" | "preempt";
  readonly iteration: number;
}

export interface ScriptedExecutorOptions {
  /** Trials that may run at once (each trial takes one worker). */
  workers: number;
  /** The metric a trial reports at an iteration. */
  metricAt: (trial: TrialView, iteration: number) => number;
  /** Metric name of the results. @defaultValue "loss" */
  metric?: string;
  /** Which trial reports next, and whether it fails; see ScriptStep. @defaultValue [] (oldest first) */
  script?: readonly ScriptStep[];
  /** Which in-flight trial reports once the script is used up (0 = the oldest). @defaultValue () => 0 */
  pickAfterScript?: (inFlight: number) => number;
  /** Seconds one step of a trial takes (its `timeTotal` grows by this). @defaultValue 1 */
  secondsOf?: (trial: TrialView) => number;
}

/**
 * An executor driven by an event script instead of a cluster: among the trials
 * with an operation in flight (oldest command first), the script picks which one reports next, and
 * whether it reports a result, fails or is preempted. It keeps the books a
 * property needs: iterations each trial computed, where a trial took another
 * trial's weights, and every command that broke the Executor contract
 * (a start with every worker busy, a command to a trial that is not running).
 */
export class ScriptedExecutor implements Executor {
  private listener: ExecutorListener | undefined;
  private clock = 0;
  private readonly slots = new Map<string, Slot>();
  private readonly workers: number;
  private readonly script: readonly ScriptStep[];
  private readonly metric: string;
  private issuedCount = 0;
  /** Iterations each trial computed, in order (a failure's re-done iterations appear twice). */
  readonly computed = new Map<string, number[]>();
  /** For each trial, the iterations of the other trials' checkpoints it took weights from (PBT's exploit). */
  readonly foreignRestores = new Map<string, number[]>();
  readonly timeTotal = new Map<string, number>();
  readonly fired: FiredEvent[] = [];
  /** Executor-contract breaches the loop or scheduler caused. */
  readonly violations: string[] = [];
  /** Most trials running at once. */
  peakRunning = 0;
  steps = 0;

  constructor(private readonly options: ScriptedExecutorOptions) {
    this.workers = options.workers;
    this.script = options.script ?? [];
    this.metric = options.metric ?? "loss";
  }

  now(): number {
    return this.clock;
  }
  canPlace(_resources: Resources): boolean {
    return this.slots.size < this.workers;
  }
  couldEverPlace(): boolean {
    return this.workers > 0;
  }
  setListener(listener: ExecutorListener): void {
    this.listener = listener;
  }
  get running(): number {
    return this.slots.size;
  }

  start(trial: TrialView, restoreFrom?: CheckpointRef): void {
    if (this.slots.has(trial.id)) this.violations.push(`start of ${trial.id}, which is already running`);
    if (this.slots.size >= this.workers) {
      this.violations.push(`start of ${trial.id} with all ${this.workers} worker(s) busy (asked for capacity the cluster lacks)`);
    }
    this.slots.set(trial.id, { trial, iteration: restoreFrom?.iteration ?? 0, pending: "step", issued: this.issuedCount++ });
    this.peakRunning = Math.max(this.peakRunning, this.slots.size);
    this.timeTotal.set(trial.id, restoreFrom?.timeTotal ?? 0);
    if (restoreFrom && restoreFrom.trialId !== trial.id) this.markForeign(trial.id, restoreFrom.iteration);
  }
  continueTrial(trialId: string): void {
    this.issue(this.slot("continueTrial", trialId), "step");
  }
  save(trialId: string): void {
    this.issue(this.slot("save", trialId), "checkpoint");
  }
  private issue(slot: Slot, op: "step" | "checkpoint"): void {
    slot.pending = op;
    slot.issued = this.issuedCount++;
  }
  restore(trialId: string, checkpoint: CheckpointRef, _config: Config): void {
    const slot = this.slot("restore", trialId);
    slot.iteration = checkpoint.iteration;
    this.issue(slot, "step");
    this.timeTotal.set(trialId, checkpoint.timeTotal);
    if (checkpoint.trialId !== trialId) this.markForeign(trialId, checkpoint.iteration);
  }
  stop(trialId: string): void {
    if (!this.slots.delete(trialId)) this.violations.push(`stop of ${trialId}, which is not running`);
  }

  private markForeign(trialId: string, iteration: number): void {
    const list = this.foreignRestores.get(trialId) ?? [];
    list.push(iteration);
    this.foreignRestores.set(trialId, list);
  }

  private slot(command: string, trialId: string): Slot {
    const slot = this.slots.get(trialId);
    if (slot) return slot;
    this.violations.push(`${command} of ${trialId}, which is not running`);
    // A detached slot keeps the run going so the report can show what followed.
    return { trial: { id: trialId } as TrialView, iteration: 0, pending: "none", issued: 0 };
  }

  /**
   * Fires events until `done()`; throws when nothing is in flight but the loop
   * is not done (a hang), or after `maxEvents` events (a loop that never ends).
   */
  run(done: () => boolean, maxEvents = Number.POSITIVE_INFINITY): void {
    let step = 0;
    while (!done()) {
      if (step >= maxEvents) throw new ExperimentDidNotEnd("budget", `the experiment did not finish within ${maxEvents} events`);
      // Oldest command first: with equal step times, workers progress side by side.
      const busy = [...this.slots.values()].filter((s) => s.pending !== "none").sort((a, b) => a.issued - b.issued);
      if (busy.length === 0) throw new ExperimentDidNotEnd("hang", "hang: the loop is not finished but no trial has an operation in flight");
      const next: ScriptStep = this.script[step] ?? { pick: this.options.pickAfterScript?.(busy.length) ?? 0, event: "result" };
      step++;
      const slot = busy[next.pick % busy.length] as Slot;
      this.fire(slot, next.event);
    }
  }

  private fire(slot: Slot, event: ScriptStep["event"]): void {
    const listener = this.listener as ExecutorListener;
    const id = slot.trial.id;
    this.clock += 1;
    if (event !== "result") {
      this.slots.delete(id);
      this.fired.push({ trialId: id, kind: event, iteration: slot.iteration });
      listener.onFailed(id, event === "preempt", event === "preempt" ? "scripted preemption" : "scripted failure");
      return;
    }
    const op = slot.pending;
    slot.pending = "none";
    if (op === "checkpoint") {
      this.fired.push({ trialId: id, kind: "checkpoint", iteration: slot.iteration });
      listener.onCheckpointed({ trialId: id, iteration: slot.iteration, timeTotal: this.timeTotal.get(id) ?? 0, handle: slot.iteration });
      return;
    }
    slot.iteration++;
    this.steps++;
    const total = (this.timeTotal.get(id) ?? 0) + (this.options.secondsOf?.(slot.trial) ?? 1);
    this.timeTotal.set(id, total);
    const list = this.computed.get(id) ?? [];
    list.push(slot.iteration);
    this.computed.set(id, list);
    this.fired.push({ trialId: id, kind: "result", iteration: slot.iteration });
    const result: Result = {
      trialId: id,
      iteration: slot.iteration,
      metrics: { [this.metric]: this.options.metricAt(slot.trial, slot.iteration) },
      time: this.clock,
      timeTotal: total,
    };
    listener.onResult(result);
  }
}
