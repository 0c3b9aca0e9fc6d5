import { availableParallelism } from "node:os";
import { ContractError, DeadlockError, OptionError } from "../core/contracts/index.ts";
import type { CheckpointRef, Config, Executor, ExecutorListener, Resources, TrialView } from "../core/contracts/index.ts";
import { Rng, rngFor, type RngState } from "../core/rng.ts";
import { FileCheckpointStore } from "./file-checkpoints.ts";
import type { Trainable } from "./trainable.ts";

export interface InProcessExecutorOptions {
  trainable: Trainable;
  seed: number | string;
  /** What this process offers to trials. @defaultValue { cpu: availableParallelism(), gpu: 0 } */
  capacity?: Resources;
  /** Save checkpoints as directories under this path (the handle is the path); else in memory. */
  storagePath?: string;
}

interface InProcessCheckpoint {
  readonly state: unknown;
  readonly iteration: number;
  readonly timeTotal: number;
  readonly rng: RngState;
}

class Actor {
  generation = 0;
  state: unknown = undefined;
  config: Config = {};
  iteration = 0;
  timeTotal = 0;
  live = false;
  constructor(
    readonly trialId: string,
    readonly resources: Resources,
    readonly rng: Rng,
  ) {}
}

/**
 * Runs trainables in this process on the real clock: each trial is an async
 * task whose steps the loop drives one at a time, exactly as the simulator's
 * are. Checkpoints are in-memory copies of the trainable's state, or with
 * `storagePath` directories on disk (see FileCheckpointStore), which an exploit
 * restores from the donor's directory. Worker processes come later.
 */
export class InProcessExecutor implements Executor {
  private readonly trainable: Trainable;
  private readonly seed: number | string;
  private readonly capacity: Resources;
  private used = { cpu: 0, gpu: 0 };
  private readonly actors = new Map<string, Actor>();
  private listener: ExecutorListener | undefined;
  private readonly startedAt = performance.now();
  private inFlight = 0;
  private settle: (() => void) | undefined;
  private failure: unknown;
  private readonly store: FileCheckpointStore | undefined;

  constructor(options: InProcessExecutorOptions) {
    this.trainable = options.trainable;
    this.seed = options.seed;
    this.capacity = options.capacity ?? { cpu: availableParallelism(), gpu: 0 };
    this.store = options.storagePath === undefined ? undefined : new FileCheckpointStore(options.storagePath, options.trainable);
  }

  now(): number {
    return (performance.now() - this.startedAt) / 1000;
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

  start(trial: TrialView, restoreFrom?: CheckpointRef): void {
    let actor = this.actors.get(trial.id);
    if (!actor) {
      actor = new Actor(trial.id, trial.resources, rngFor(this.seed, "trial", trial.id));
      this.actors.set(trial.id, actor);
    }
    actor.generation++;
    actor.live = true;
    actor.config = trial.config;
    this.used.cpu += trial.resources.cpu;
    this.used.gpu += trial.resources.gpu;
    const generation = actor.generation;
    const a = actor;
    this.track(async () => {
      if (restoreFrom) {
        await this.load(a, restoreFrom);
      } else {
        a.iteration = 0;
        a.timeTotal = 0;
        a.state = await this.trainable.init(a.config, a.rng);
      }
      await this.stepAndReport(a, generation);
    }, a, generation);
  }

  continueTrial(trialId: string): void {
    const actor = this.live(trialId);
    const generation = actor.generation;
    this.track(() => this.stepAndReport(actor, generation), actor, generation);
  }

  save(trialId: string): void {
    const actor = this.live(trialId);
    const generation = actor.generation;
    this.track(async () => {
      const meta = { iteration: actor.iteration, timeTotal: actor.timeTotal, rng: actor.rng.save() };
      const handle = this.store
        ? await this.store.save(actor.state, { trialId, ...meta })
        : ({ ...meta, state: structuredClone(actor.state) } satisfies InProcessCheckpoint);
      if (actor.generation !== generation) {
        // The trial was stopped while saving: nobody will ever refer to this directory.
        if (typeof handle === "string") this.store?.discard(handle);
        return;
      }
      this.deliver((l) => l.onCheckpointed({ trialId, iteration: actor.iteration, timeTotal: actor.timeTotal, handle }));
    }, actor, generation);
  }

  restore(trialId: string, checkpoint: CheckpointRef, config: Config): void {
    const actor = this.live(trialId);
    const generation = actor.generation;
    actor.config = config;
    this.track(async () => {
      await this.load(actor, checkpoint);
      await this.stepAndReport(actor, generation);
    }, actor, generation);
  }

  stop(trialId: string): void {
    const actor = this.actors.get(trialId);
    if (!actor || !actor.live) return;
    actor.live = false;
    actor.generation++;
    this.used.cpu -= actor.resources.cpu;
    this.used.gpu -= actor.resources.gpu;
  }

  /** Resolves once `isFinished()` holds after an event; rejects if the loop itself threw. */
  run(isFinished: () => boolean): Promise<void> {
    if (isFinished()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.settle = () => {
        if (this.failure !== undefined) reject(this.failure);
        else if (isFinished()) resolve();
        else if (this.inFlight === 0) reject(new DeadlockError("no trial is running and the experiment has not ended"));
      };
    });
  }

  /** Deletes a checkpoint directory the loop will never restore again; in-memory ones go with their last reference. */
  discard(checkpoint: CheckpointRef): void {
    if (this.store && typeof checkpoint.handle === "string") this.store.discard(checkpoint.handle);
  }

  private async load(actor: Actor, checkpoint: CheckpointRef): Promise<void> {
    let cp: InProcessCheckpoint;
    if (typeof checkpoint.handle === "string") {
      if (!this.store) throw new OptionError("storagePath", `checkpoint ${checkpoint.handle} is on disk, but this executor has no storagePath`);
      const { state, meta } = await this.store.load(checkpoint.handle);
      cp = { state, iteration: meta.iteration, timeTotal: meta.timeTotal, rng: meta.rng };
    } else {
      const held = checkpoint.handle as InProcessCheckpoint;
      cp = { ...held, state: structuredClone(held.state) };
    }
    actor.state = cp.state;
    actor.iteration = cp.iteration;
    actor.timeTotal = cp.timeTotal;
    // The trial's own checkpoint brings back its random stream too; a clone keeps its own.
    if (checkpoint.trialId === actor.trialId) actor.rng.restore(cp.rng);
  }

  private async stepAndReport(actor: Actor, generation: number): Promise<void> {
    const t0 = performance.now();
    const outcome = await this.trainable.step(actor.state, actor.config, { iteration: actor.iteration + 1, rng: actor.rng });
    if (actor.generation !== generation) return;
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

  /** Calls the loop; its own errors are marked so they end the run instead of failing a trial. */
  private deliver(call: (listener: ExecutorListener) => void): void {
    try {
      call(this.listener as ExecutorListener);
    } catch (error) {
      throw new LoopError("the tune loop failed", { cause: error });
    }
  }

  /**
   * Runs one command's async work. A throw from the trainable fails the trial
   * (not recoverable: it counts against maxFailures); a throw from the loop's
   * own handlers ends the run with that error.
   */
  private track(work: () => Promise<void>, actor: Actor, generation: number): void {
    this.inFlight++;
    // Defer to a fresh task so the loop finishes handling the current event first.
    setImmediate(() => {
      work()
        .catch((error: unknown) => {
          if (error instanceof LoopError) throw error;
          if (actor.generation !== generation || !actor.live) return;
          this.stop(actor.trialId);
          const reason = error instanceof Error ? error.message : String(error);
          this.deliver((l) => l.onFailed(actor.trialId, false, reason));
        })
        .catch((error: unknown) => {
          this.failure = error instanceof LoopError ? error.cause : error;
        })
        .finally(() => {
          this.inFlight--;
          this.settle?.();
        });
    });
  }

  private live(trialId: string): Actor {
    const actor = this.actors.get(trialId);
    if (!actor || !actor.live) throw new ContractError("InProcessExecutor", `trial ${trialId} is not running in this process`);
    return actor;
  }
}

/** Marks an error thrown by the loop's handlers, as opposed to one from user code. */
class LoopError extends Error {}
