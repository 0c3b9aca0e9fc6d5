import { availableParallelism } from "node:os";
import { cloneTrialState, stepOutcomeProblem } from "../core/user-code-checks.ts";
import { ContractError, DeadlockError, OptionError, positiveNumber, TuneLabError } from "../core/contracts/index.ts";
import type {
  CheckpointRef,
  Config,
  DrivenExecutor,
  ExecutorListener,
  ExecutorStats,
  Resources,
  TrialView,
} from "../core/contracts/index.ts";
import { rngFor } from "../core/rng.ts";
import { TrialActor, type CheckpointPayload } from "../core/trial-actor.ts";
import { FileCheckpointStore, usableCheckpoint } from "./file-checkpoints.ts";
import { RealClockMeter } from "./real-clock-meter.ts";
import type { Trainable } from "./trainable.ts";

export interface InProcessExecutorOptions {
  trainable: Trainable;
  seed: number | string;
  /** What this process offers to trials. @defaultValue { cpu: availableParallelism(), gpu: 0 } */
  capacity?: Resources;
  /** Save checkpoints as directories under this path (the handle is the path); else in memory. */
  storagePath?: string;
  /**
   * Fail a trial whose step (or init, save, restore) takes longer than this. In this
   * process the step cannot be killed: its late outcome is dropped. Left out: no limit.
   */
  stepTimeoutSeconds?: number;
}

/** How often the loop is told the time while trials run, so time-based stoppers act between results. */
const TICK_SECONDS = 1;

class Actor extends TrialActor {
  live = false;
  placedAt = 0;
}

/** One command's async work, while it is in flight. */
interface Work {
  readonly actor: Actor;
  readonly generation: number;
  readonly what: string;
  /** Set when the work was given up (timed out, or found never to settle): its outcome is dropped. */
  abandoned: boolean;
}

/**
 * Runs trainables in this process on the real clock: each trial is an async
 * task whose steps the loop drives one at a time, exactly as the simulator's
 * are. Checkpoints are in-memory copies of the trainable's state, or with
 * `storagePath` directories on disk (see FileCheckpointStore), which an exploit
 * restores from the donor's directory. For isolation (a crash, a hang, a
 * memory blow-up of one trial), use the process executor instead.
 */
export class InProcessExecutor implements DrivenExecutor {
  readonly virtualClock = false;
  private readonly trainable: Trainable;
  private readonly seed: number | string;
  private readonly capacity: Resources;
  private readonly stepTimeoutMs: number | undefined;
  private used = { cpu: 0, gpu: 0 };
  private readonly actors = new Map<string, Actor>();
  private listener: ExecutorListener | undefined;
  private readonly inFlight = new Set<Work>();
  private settle: (() => void) | undefined;
  private failure: unknown;
  private readonly store: FileCheckpointStore | undefined;
  private readonly meter = new RealClockMeter();

  constructor(options: InProcessExecutorOptions) {
    this.trainable = options.trainable;
    this.seed = options.seed;
    this.capacity = options.capacity ?? { cpu: availableParallelism(), gpu: 0 };
    this.stepTimeoutMs =
      options.stepTimeoutSeconds === undefined ? undefined : 1000 * positiveNumber("stepTimeoutSeconds", options.stepTimeoutSeconds);
    this.store = options.storagePath === undefined ? undefined : new FileCheckpointStore(options.storagePath, options.trainable);
  }

  now(): number {
    return this.meter.now();
  }

  stats(): ExecutorStats {
    return this.meter.stats(this.actors.values());
  }

  gpuSecondsUsed(): number {
    return this.meter.gpuSecondsUsed(this.actors.values());
  }

  setListener(listener: ExecutorListener): void {
    this.listener = listener;
  }

  canPlace(resources: Resources): boolean {
    return this.used.cpu + resources.cpu <= this.capacity.cpu + 1e-9 && this.used.gpu + resources.gpu <= this.capacity.gpu + 1e-9;
  }

  couldEverPlace(resources: Resources): boolean {
    return resources.cpu <= this.capacity.cpu && resources.gpu <= this.capacity.gpu;
  }

  totalResources(): Resources {
    return { ...this.capacity };
  }

  start(trial: TrialView, restoreFrom?: CheckpointRef): void {
    let actor = this.actors.get(trial.id);
    if (!actor) {
      actor = new Actor(trial.id, trial.resources, rngFor(this.seed, "trial", trial.id));
      this.actors.set(trial.id, actor);
    }
    // A resumed trial may have been re-allocated (ResourceChangingScheduler): release must free what it holds now.
    actor.resources = trial.resources;
    actor.generation++;
    actor.live = true;
    actor.placedAt = this.now();
    actor.config = trial.config;
    this.used.cpu += trial.resources.cpu;
    this.used.gpu += trial.resources.gpu;
    this.meter.counts.actorStarts++;
    const a = actor;
    this.track(a, restoreFrom ? "restore" : "init", async () => {
      // A damaged checkpoint with nothing to fall back to: from scratch (the loop counted a failure).
      if (!restoreFrom || (await this.load(a, restoreFrom, false)) === "none") a.beginFresh(await this.trainable.init(a.config, a.rng));
    }, (work) => this.stepAndReport(work));
  }

  continueTrial(trialId: string): void {
    const actor = this.live(trialId);
    this.track(actor, "step", undefined, (work) => this.stepAndReport(work));
  }

  save(trialId: string): void {
    const actor = this.live(trialId);
    this.track(actor, "save", async (work) => {
      const handle = this.store
        ? await this.store.save(actor.state, { trialId, ...actor.payload(undefined) })
        : actor.payload(clonedState(`trainable "${this.trainable.name}"`, actor.trialId, actor.state));
      if (!this.current(work)) {
        // The trial was stopped while saving: nobody will ever refer to this directory.
        if (typeof handle === "string") this.store?.discard(handle);
        return;
      }
      this.deliver((l) => l.onCheckpointed({ trialId, iteration: actor.iteration, timeTotal: actor.timeTotal, handle }));
    });
  }

  restore(trialId: string, checkpoint: CheckpointRef, config: Config): void {
    const actor = this.live(trialId);
    const before = actor.config;
    actor.config = config;
    this.track(
      actor,
      "restore",
      async () => {
        if ((await this.load(actor, checkpoint, true)) !== "none") return;
        // Nothing usable to restore. A donor's (PBT): the exploit was undone, the trial goes on with its own weights and config;
        // its own: from scratch (the loop counted a failure).
        if (checkpoint.trialId !== trialId) actor.config = before;
        else actor.beginFresh(await this.trainable.init(actor.config, actor.rng));
      },
      (work) => this.stepAndReport(work),
    );
  }

  stop(trialId: string): void {
    const actor = this.actors.get(trialId);
    if (!actor || !actor.live) return;
    actor.live = false;
    actor.generation++;
    this.used.cpu -= actor.resources.cpu;
    this.used.gpu -= actor.resources.gpu;
    this.meter.release(actor);
  }

  /**
   * Resolves once `isFinished()` holds after an event; rejects with the loop's own
   * error, or a DeadlockError when nothing is in flight and the experiment has not
   * ended. While it waits, the loop hears the time every second (time-based
   * stoppers), and a step whose promise can never settle (the event loop emptied
   * while it was pending) fails its trial instead of ending the process silently.
   */
  run(isFinished: () => boolean): Promise<void> {
    if (isFinished()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const ticker = setInterval(() => {
        this.guarded(() => this.listener?.onClockTick?.());
        this.settle?.();
      }, TICK_SECONDS * 1000);
      ticker.unref();
      const onBeforeExit = () => this.abandonStuckWork();
      process.on("beforeExit", onBeforeExit);
      const end = (error?: unknown) => {
        clearInterval(ticker);
        process.off("beforeExit", onBeforeExit);
        this.settle = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
      this.settle = () => {
        if (this.failure !== undefined) end(this.failure);
        else if (isFinished()) end();
        else if (this.inFlight.size === 0) end(new DeadlockError("no trial is running and the experiment has not ended"));
      };
    });
  }

  /** Deletes a checkpoint directory the loop will never restore again; in-memory ones go with their last reference. */
  discard(checkpoint: CheckpointRef): void {
    if (this.store && typeof checkpoint.handle === "string") this.store.discard(checkpoint.handle);
  }

  /**
   * Loads `checkpoint` into `actor`, or, when it is a damaged directory, what the loop
   * chose instead (usableCheckpoint: an earlier one, with a warning naming the path);
   * "none" when it chose none. `live`: the actor holds the trial's weights (a restore).
   */
  private async load(actor: Actor, checkpoint: CheckpointRef, live: boolean): Promise<"loaded" | "none"> {
    let payload: CheckpointPayload;
    let from = checkpoint;
    if (typeof checkpoint.handle === "string") {
      if (!this.store) throw new OptionError("storagePath", `checkpoint ${checkpoint.handle} is on disk, but this executor has no storagePath`);
      const usable = usableCheckpoint(this.store.root, actor.trialId, checkpoint, this.listener, live);
      if (usable === undefined) return "none";
      from = usable.ref;
      const { state, meta } = await this.store.load(usable.dir, actor.trialId);
      payload = { ...meta, state };
    } else {
      const held = checkpoint.handle as CheckpointPayload;
      payload = { ...held, state: structuredClone(held.state) };
    }
    actor.adopt(payload, from.trialId);
    return "loaded";
  }

  private async stepAndReport(work: Work): Promise<void> {
    const actor = work.actor;
    const t0 = performance.now();
    const outcome = await this.trainable.step(actor.state, actor.config, { iteration: actor.iteration + 1, rng: actor.rng, resources: actor.resources });
    if (!this.current(work)) return;
    const problem = stepOutcomeProblem(`trainable "${this.trainable.name}"`, actor.trialId, outcome, false);
    if (problem !== undefined) throw new TuneLabError(actor.trialId, problem);
    actor.state = outcome.state;
    actor.iteration++;
    actor.timeTotal += (performance.now() - t0) / 1000;
    const result = {
      trialId: actor.trialId,
      iteration: actor.iteration,
      metrics: outcome.metrics,
      time: this.now(),
      timeTotal: actor.timeTotal,
      done: outcome.done === true,
    };
    this.deliver((l) => l.onResult(result));
  }

  /** The trial of `work` is still the run that issued it (not stopped or restarted since). */
  private isLive(work: Work): boolean {
    return work.actor.generation === work.generation && work.actor.live;
  }

  /** As `isLive`, and the work was not given up: its outcome counts. */
  private current(work: Work): boolean {
    return !work.abandoned && this.isLive(work);
  }

  /** Calls the loop; its own errors are marked so they end the run instead of failing a trial. */
  private deliver(call: (listener: ExecutorListener) => void): void {
    this.meter.counts.events++;
    try {
      call(this.listener as ExecutorListener);
    } catch (error) {
      throw new LoopHandlerFailure(error);
    }
  }

  /** Runs `fn` outside any trial's work (a timer, a tick): an error of the loop's ends the run. */
  private guarded(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.failure ??= error instanceof LoopHandlerFailure ? error.cause : error;
    }
  }

  /** Fails the trial of `work` (not recoverable: it counts against maxFailures), unless it was stopped meanwhile. */
  private failTrial(work: Work, reason: string, stack?: string): void {
    if (!this.isLive(work)) return;
    this.stop(work.actor.trialId);
    this.deliver((l) => l.onFailed(work.actor.trialId, false, reason, stack));
  }

  /**
   * Runs one command's async work: `first` (init, load, save), then `then` (the
   * step). A throw from the trainable fails the trial; a throw from the loop's
   * own handlers ends the run with that error. Deferred to a fresh task so the
   * loop finishes handling the current event first.
   */
  private track(actor: Actor, what: string, first: ((work: Work) => Promise<void>) | undefined, then?: (work: Work) => Promise<void>): void {
    const work: Work = { actor, generation: actor.generation, what, abandoned: false };
    this.inFlight.add(work);
    setImmediate(() => {
      const body = async () => {
        if (first) await first(work);
        if (then && this.current(work)) await then(work);
      };
      this.withTimeout(work, body())
        .catch((error: unknown) => {
          if (error instanceof LoopHandlerFailure) throw error;
          // Our own checks already name the trainable; anything else is the trainable's throw.
          const reason =
            error instanceof TuneLabError
              ? error.message
              : `${this.trainable.name} threw in ${work.what}: ${error instanceof Error ? error.message : String(error)}`;
          // The trainable's own stack stays in the trial's record (TrialView.errorStack).
          this.failTrial(work, reason, error instanceof Error && !(error instanceof TuneLabError) ? error.stack : undefined);
        })
        .catch((error: unknown) => {
          this.failure ??= error instanceof LoopHandlerFailure ? error.cause : error;
        })
        .finally(() => {
          this.inFlight.delete(work);
          this.settle?.();
        });
    });
  }

  private withTimeout(work: Work, promise: Promise<void>): Promise<void> {
    const limit = this.stepTimeoutMs;
    if (limit === undefined) return promise;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.current(work)) {
          work.abandoned = true;
          this.guarded(() => this.failTrial(work, `${this.trainable.name}: ${work.what} did not finish within stepTimeoutSeconds=${limit / 1000}`));
        }
        resolve();
      }, limit);
      promise.then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /**
   * Node is about to exit with work in flight: nothing is left that could settle
   * those promises (a step awaiting a promise nobody resolves). Fail their trials
   * with a message that says so; the loop then carries on with the others.
   */
  private abandonStuckWork(): void {
    for (const work of [...this.inFlight]) {
      this.inFlight.delete(work);
      if (!this.current(work)) continue;
      work.abandoned = true;
      this.guarded(() =>
        this.failTrial(work, `${this.trainable.name}: ${work.what} returned a promise that never settles (the process had nothing left to wait for)`),
      );
    }
    this.settle?.();
  }

  private live(trialId: string): Actor {
    const actor = this.actors.get(trialId);
    if (!actor || !actor.live) throw new ContractError("InProcessExecutor", `trial ${trialId} is not running in this process`);
    return actor;
  }
}

/** Wraps an error thrown by the loop's own handlers, as opposed to one from user code; it never escapes this file. */
class LoopHandlerFailure extends Error {
  constructor(cause: unknown) {
    super("the tune loop failed", { cause });
  }
}

function clonedState(subject: string, trialId: string, state: unknown): unknown {
  const copy = cloneTrialState(subject, trialId, state);
  if ("problem" in copy) throw new TuneLabError(trialId, copy.problem);
  return copy.state;
}
