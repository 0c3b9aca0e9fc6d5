import type { CheckpointRef, Result, TrialView } from "../contracts/index.ts";
import type {
  DecisionEvent,
  ExperimentEndInfo,
  ExperimentStartInfo,
  ExploitEvent,
  TrialErrorInfo,
  TrialStartInfo,
  TuneCallback,
} from "./callback.ts";

type Hook = Exclude<keyof TuneCallback, "name">;

/** Where a throwing callback is reported. @defaultValue process.stderr */
export type CallbackErrorSink = (line: string) => void;

/**
 * Calls every callback's hook in order, isolating failures: a hook that throws
 * is reported once per callback (its name, the hook, the message) and the run
 * goes on; the same callback's later hooks still run.
 */
export class CallbackList {
  private readonly reported = new Set<TuneCallback>();

  constructor(
    private readonly callbacks: readonly TuneCallback[],
    private readonly sink: CallbackErrorSink = (line) => process.stderr.write(line),
  ) {}

  /** A list to hand the loop, or undefined when there is nothing to call (the loop then pays nothing). */
  static of(callbacks: readonly TuneCallback[] | undefined, sink?: CallbackErrorSink): CallbackList | undefined {
    if (!callbacks || callbacks.length === 0) return undefined;
    return new CallbackList(callbacks, sink);
  }

  experimentStart(info: ExperimentStartInfo): void {
    for (const cb of this.callbacks) if (cb.onExperimentStart) this.call(cb, "onExperimentStart", () => cb.onExperimentStart?.(info));
  }

  experimentEnd(info: ExperimentEndInfo): void {
    for (const cb of this.callbacks) if (cb.onExperimentEnd) this.call(cb, "onExperimentEnd", () => cb.onExperimentEnd?.(info));
  }

  trialStart(trial: TrialView, info: TrialStartInfo): void {
    for (const cb of this.callbacks) if (cb.onTrialStart) this.call(cb, "onTrialStart", () => cb.onTrialStart?.(trial, info));
  }

  trialResult(trial: TrialView, result: Result): void {
    for (const cb of this.callbacks) if (cb.onTrialResult) this.call(cb, "onTrialResult", () => cb.onTrialResult?.(trial, result));
  }

  trialComplete(trial: TrialView, time: number): void {
    for (const cb of this.callbacks) if (cb.onTrialComplete) this.call(cb, "onTrialComplete", () => cb.onTrialComplete?.(trial, time));
  }

  trialError(trial: TrialView, info: TrialErrorInfo): void {
    for (const cb of this.callbacks) if (cb.onTrialError) this.call(cb, "onTrialError", () => cb.onTrialError?.(trial, info));
  }

  checkpoint(trial: TrialView, checkpoint: CheckpointRef, time: number): void {
    for (const cb of this.callbacks) if (cb.onCheckpoint) this.call(cb, "onCheckpoint", () => cb.onCheckpoint?.(trial, checkpoint, time));
  }

  decision(event: DecisionEvent): void {
    for (const cb of this.callbacks) if (cb.onDecision) this.call(cb, "onDecision", () => cb.onDecision?.(event));
  }

  exploit(event: ExploitEvent): void {
    for (const cb of this.callbacks) if (cb.onExploit) this.call(cb, "onExploit", () => cb.onExploit?.(event));
  }

  private call(cb: TuneCallback, hook: Hook, run: () => void): void {
    try {
      run();
    } catch (error) {
      if (this.reported.has(cb)) return;
      this.reported.add(cb);
      const message = error instanceof Error ? error.message : String(error);
      this.sink(`tunelab: callback ${callbackName(cb)} threw in ${hook}: ${message} (further errors of this callback are not shown)\n`);
    }
  }
}

export function callbackName(cb: TuneCallback): string {
  if (cb.name) return cb.name;
  const ctor = (cb as object).constructor;
  return ctor && ctor !== Object ? ctor.name : "(anonymous callback)";
}
