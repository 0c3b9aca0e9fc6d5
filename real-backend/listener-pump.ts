import { OptionError, type ExecutorListener } from "../core/contracts/index.ts";

/**
 * What a driven executor does when no trial is busy and the experiment has not ended.
 * `waitSeconds: 0`: fail at once (one machine: nothing can change without a trial running).
 * More: wait that long for something to run again (many machines: a worker may join), then fail.
 */
export interface StarvationRule {
  readonly waitSeconds: number;
  /** The error the run ends with. */
  readonly error: () => Error;
}

export interface ListenerPumpOptions {
  /** How many commands await a reply: while it is above 0, the run is not starved. */
  readonly busy: () => number;
  readonly starvation: StarvationRule;
  /** How often the loop hears the time (so time-based stoppers act while steps run). @defaultValue 1000 */
  readonly tickMs?: number;
}

/**
 * The event side of a driven executor (ProcessExecutor, RedisExecutor): calls the
 * loop's listener, keeps the first error the loop throws (it ends the run: it is not a
 * trial's fault), ticks the loop's clock every second, and settles `run(isFinished)`
 * after every event: done when the loop says so, failed with the loop's error, or
 * failed by the starvation rule when nothing is busy.
 */
export class ListenerPump {
  private listener: ExecutorListener | undefined;
  private settle: (() => void) | undefined;
  private failure: unknown;
  private readonly busy: () => number;
  private readonly starvation: StarvationRule;
  private readonly tickMs: number;

  constructor(options: ListenerPumpOptions) {
    if (!(options.starvation.waitSeconds >= 0 && Number.isFinite(options.starvation.waitSeconds))) {
      throw new OptionError("starvation.waitSeconds", `must be a finite number >= 0, got ${options.starvation.waitSeconds}`);
    }
    this.busy = options.busy;
    this.starvation = options.starvation;
    this.tickMs = options.tickMs ?? 1000;
  }

  setListener(listener: ExecutorListener): void {
    this.listener = listener;
  }

  /** Calls the loop (when it listens), then settles the run. */
  deliver(call: (listener: ExecutorListener) => void): void {
    try {
      if (this.listener) call(this.listener);
    } catch (error) {
      if (this.failure === undefined) this.failure = error;
    }
    this.settle?.();
  }

  /** Tells the loop the time, then settles the run. */
  tick(): void {
    this.deliver((l) => l.onClockTick?.());
  }

  /** Resolves once `isFinished()` holds after an event; rejects with the loop's own error, or the starvation rule's. */
  run(isFinished: () => boolean): Promise<void> {
    if (isFinished()) return Promise.resolve();
    return new Promise((resolvePromise, reject) => {
      const ticker = setInterval(() => this.tick(), this.tickMs);
      // The ticker alone does not keep the process up: trials (actors, connections) do.
      ticker.unref();
      let starved: NodeJS.Timeout | undefined;
      const end = (error?: unknown) => {
        clearInterval(ticker);
        clearTimeout(starved);
        this.settle = undefined;
        if (error === undefined) resolvePromise();
        else reject(error);
      };
      this.settle = () => {
        if (this.failure !== undefined) return end(this.failure);
        if (isFinished()) return end();
        if (this.busy() > 0) {
          clearTimeout(starved);
          starved = undefined;
          return;
        }
        if (this.starvation.waitSeconds === 0) return end(this.starvation.error());
        // Something may come (a worker joins) and take the waiting trials: give up after the wait.
        starved ??= setTimeout(() => end(this.starvation.error()), this.starvation.waitSeconds * 1000);
      };
      this.settle();
    });
  }
}
