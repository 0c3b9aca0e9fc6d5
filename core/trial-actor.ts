import type { Config, Resources } from "./contracts/index.ts";
import type { Rng, RngState } from "./rng.ts";

/** What every executor's checkpoint holds: enough to resume a trial exactly. */
export interface CheckpointPayload {
  readonly state: unknown;
  readonly iteration: number;
  readonly timeTotal: number;
  readonly rng: RngState;
}

/**
 * One trial's actor as every executor keeps it: the trainable's state between
 * steps, the config in force, the iteration count and the trial's own random
 * stream. `generation` goes up on every start and stop, so work that finishes
 * after its trial was stopped (a late step, a late save) is recognised and dropped.
 */
export class TrialActor {
  generation = 0;
  state: unknown = undefined;
  config: Config = {};
  iteration = 0;
  timeTotal = 0;

  constructor(
    readonly trialId: string,
    /** What the actor holds now; set again on every start (a resumed trial may have been re-allocated). */
    public resources: Resources,
    readonly rng: Rng,
  ) {}

  /** A fresh start: no iterations yet, state from the trainable's `init`. */
  beginFresh(state: unknown): void {
    this.iteration = 0;
    this.timeTotal = 0;
    this.state = state;
  }

  /** The checkpoint of the trial as it is now; `state` is the caller's copy (a clone, or a directory's contents). */
  payload(state: unknown): CheckpointPayload {
    return { state, iteration: this.iteration, timeTotal: this.timeTotal, rng: this.rng.save() };
  }

  /**
   * Takes over `checkpoint` (a copy of its state), written by trial `ownerId`.
   * The trial's own checkpoint brings back its random stream too, so re-done
   * steps repeat exactly; a clone (a PBT exploit) keeps its own stream.
   */
  adopt(checkpoint: CheckpointPayload, ownerId: string): void {
    this.state = checkpoint.state;
    this.iteration = checkpoint.iteration;
    this.timeTotal = checkpoint.timeTotal;
    if (ownerId === this.trialId) this.rng.restore(checkpoint.rng);
  }
}
