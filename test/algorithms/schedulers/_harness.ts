import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import type {
  CheckpointRef,
  Config,
  Decision,
  Executor,
  ExecutorListener,
  Json,
  Resources,
  Result,
  Scheduler,
  SchedulerContext,
  TrialView,
} from "../../../core/contracts/index.ts";
import { uniform } from "../../../core/space/index.ts";
import { mulberry32 } from "../../../core/space/_internals/mulberry32.ts";
import { TuneLoop } from "../../../core/tune-loop.ts";

/** Small deterministic PRNG for metric streams and arrival orders (tests only): the space module's mulberry32. */
export const mulberry = mulberry32;

interface Slot {
  trial: TrialView;
  iteration: number;
  /** The next thing this trial's worker will report. */
  pending: "step" | "checkpoint" | "none";
}

/**
 * An executor driven by a random arrival order: among the running trials with
 * an operation in flight, `pick` chooses which one reports next. Metrics come
 * from `metricAt(trialIndex, iteration)`; a step of trial i takes `secondsOf(i)`.
 * Records every iteration each trial computed, to check none is lost or repeated.
 */
export class ScriptedExecutor implements Executor {
  private listener: ExecutorListener | undefined;
  private clock = 0;
  private readonly slots = new Map<string, Slot>();
  readonly computed = new Map<string, number[]>();
  readonly timeTotal = new Map<string, number>();
  steps = 0;

  constructor(
    private readonly workers: number,
    private readonly metricAt: (trialIndex: number, iteration: number) => number,
    private readonly pick: (n: number) => number,
    private readonly secondsOf: (trialIndex: number) => number = () => 1,
  ) {}

  now(): number {
    return this.clock;
  }
  canPlace(_r: Resources): boolean {
    return this.slots.size < this.workers;
  }
  couldEverPlace(): boolean {
    return true;
  }
  setListener(listener: ExecutorListener): void {
    this.listener = listener;
  }
  start(trial: TrialView, restoreFrom?: CheckpointRef): void {
    this.slots.set(trial.id, { trial, iteration: restoreFrom?.iteration ?? 0, pending: "step" });
    this.timeTotal.set(trial.id, restoreFrom?.timeTotal ?? 0);
  }
  continueTrial(trialId: string): void {
    (this.slots.get(trialId) as Slot).pending = "step";
  }
  save(trialId: string): void {
    (this.slots.get(trialId) as Slot).pending = "checkpoint";
  }
  restore(trialId: string, checkpoint: CheckpointRef, _config: Config): void {
    const slot = this.slots.get(trialId) as Slot;
    slot.iteration = checkpoint.iteration;
    slot.pending = "step";
  }
  stop(trialId: string): void {
    this.slots.delete(trialId);
  }

  /** Fires events until `done()`; each event is the next report of a randomly picked busy trial. */
  run(done: () => boolean): void {
    while (!done()) {
      const busy = [...this.slots.values()].filter((s) => s.pending !== "none");
      if (busy.length === 0) throw new Error("ScriptedExecutor: nothing in flight but the loop is not finished");
      const slot = busy[this.pick(busy.length) % busy.length] as Slot;
      const op = slot.pending;
      slot.pending = "none";
      this.clock += 1;
      const listener = this.listener as ExecutorListener;
      const id = slot.trial.id;
      if (op === "checkpoint") {
        listener.onCheckpointed({ trialId: id, iteration: slot.iteration, timeTotal: this.timeTotal.get(id) ?? 0, handle: slot.iteration });
        continue;
      }
      slot.iteration++;
      this.steps++;
      const total = (this.timeTotal.get(id) ?? 0) + this.secondsOf(slot.trial.index);
      this.timeTotal.set(id, total);
      const list = this.computed.get(id) ?? [];
      list.push(slot.iteration);
      this.computed.set(id, list);
      const result: Result = {
        trialId: id,
        iteration: slot.iteration,
        metrics: { loss: this.metricAt(slot.trial.index, slot.iteration) },
        time: this.clock,
        timeTotal: total,
      };
      listener.onResult(result);
    }
  }
}

export interface Call {
  kind: "result";
  trialId: string;
  result: Result;
  decision: Decision;
}

/** Wraps a scheduler, recording each result's decision and letting a test look before and after. */
export class RecordingScheduler implements Scheduler {
  readonly calls: Call[] = [];
  readonly chosen: string[] = [];
  context: SchedulerContext | undefined;
  constructor(
    public inner: Scheduler,
    private readonly hooks: {
      before?: (trial: TrialView, result: Result) => unknown;
      after?: (trial: TrialView, result: Result, decision: Decision, before: unknown) => void;
      afterAny?: () => void;
    } = {},
  ) {}
  setContext(context: SchedulerContext): void {
    this.context = context;
    this.inner.setContext(context);
  }
  onTrialAdd(trial: TrialView): void {
    this.inner.onTrialAdd(trial);
    this.hooks.afterAny?.();
  }
  onTrialResult(trial: TrialView, result: Result): Decision {
    const before = this.hooks.before?.(trial, result);
    const decision = this.inner.onTrialResult(trial, result);
    this.calls.push({ kind: "result", trialId: trial.id, result, decision });
    this.hooks.after?.(trial, result, decision, before);
    this.hooks.afterAny?.();
    return decision;
  }
  onTrialComplete(trial: TrialView, last?: Result): void {
    this.inner.onTrialComplete(trial, last);
    this.hooks.afterAny?.();
  }
  onTrialError(trial: TrialView): void {
    this.inner.onTrialError(trial);
  }
  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    const choice = this.inner.chooseTrialToRun(candidates);
    if (choice) this.chosen.push(choice.id);
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

export interface ScriptedRun {
  loop: TuneLoop;
  executor: ScriptedExecutor;
}

/** Runs `scheduler` in the real TuneLoop on a scripted executor. */
export function runScripted(options: {
  scheduler: Scheduler;
  trials: number;
  workers: number;
  seed: number;
  mode?: "min" | "max";
  maxIterations?: number;
  secondsOf?: (trialIndex: number) => number;
}): ScriptedRun {
  const metricRng = mulberry(options.seed * 2 + 1);
  const cache = new Map<string, number>();
  const metricAt = (i: number, t: number): number => {
    const key = `${i}:${t}`;
    let v = cache.get(key);
    if (v === undefined) {
      v = metricRng();
      cache.set(key, v);
    }
    return v;
  };
  const arrival = mulberry(options.seed * 2 + 2);
  const executor = new ScriptedExecutor(options.workers, metricAt, (n) => Math.floor(arrival() * n), options.secondsOf);
  const mode = options.mode ?? "min";
  const space = { x: uniform(0, 1) };
  const maxIterations = options.maxIterations ?? Number.POSITIVE_INFINITY;
  const loop = new TuneLoop({
    searcher: new RandomSearch(space, { metric: "loss", mode, seed: options.seed }),
    scheduler: options.scheduler,
    executor,
    metric: "loss",
    mode,
    trials: options.trials,
    stoppers: [
      {
        shouldStopTrial: (r: Result) => r.iteration >= maxIterations,
        shouldStopAll: () => false,
        save: () => null,
        restore: () => {},
      },
    ],
  });
  loop.begin();
  executor.run(() => loop.finished);
  return { loop, executor };
}
