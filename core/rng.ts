import seedrandom from "seedrandom";
import type { RandomStream } from "./contracts/index.ts";

/**
 * seedrandom's alea state (`seedrandom.State.Alea`), written out so that our
 * public types do not depend on @types/seedrandom (a devDependency).
 */
export interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/**
 * A named, seeded random stream (seedrandom's alea: fast, and its state is four
 * numbers, so it serialises exactly for resume). Every random draw in TuneLab
 * comes from one of these, derived from (experiment seed, component, trial id).
 */
export class Rng implements RandomStream {
  private prng: seedrandom.StatefulPRNG<AleaState>;
  // Box-Muller makes two normals per pair of uniforms; keep the spare.
  private spareNormal = Number.NaN;

  constructor(
    private readonly seed: string,
    state?: RngState,
  ) {
    this.prng = seedrandom.alea(seed, { state: state ? { ...state.alea } : true });
    if (state) this.spareNormal = state.spare ?? Number.NaN;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.prng();
  }

  private boundUniform: (() => number) | undefined;

  /**
   * A bound uniform source, for APIs that take `() => number` (core/space).
   * Made on first use: the simulator makes a stream per trial, and most never need it.
   */
  get uniform(): () => number {
    return (this.boundUniform ??= () => this.prng());
  }


  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    let u = this.prng();
    while (u === 0) u = this.prng();
    const v = this.prng();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** Rewinds (or forwards) this stream to a saved state. */
  restore(state: RngState): void {
    this.prng = seedrandom.alea(this.seed, { state: { ...state.alea } });
    this.spareNormal = state.spare ?? Number.NaN;
  }

  save(): RngState {
    const state: RngState = { alea: this.prng.state() };
    return Number.isNaN(this.spareNormal) ? state : { ...state, spare: this.spareNormal };
  }
}

export interface RngState {
  readonly alea: AleaState;
  readonly spare?: number;
}

/**
 * Seed string of the stream for (experiment seed, component, trial id). Plain
 * concatenation with separators: alea hashes the whole string itself, and the
 * separator keeps ("a", "bc") and ("ab", "c") apart.
 */
export function streamSeed(seed: number | string, component: string, trialId = ""): string {
  return `${seed}\u0001${component}\u0001${trialId}`;
}

export function rngFor(seed: number | string, component: string, trialId = ""): Rng {
  return new Rng(streamSeed(seed, component, trialId));
}

export function restoreRng(seed: number | string, component: string, state: RngState, trialId = ""): Rng {
  return new Rng(streamSeed(seed, component, trialId), state);
}
