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
  // alea's four numbers, stepped here rather than through seedrandom's closure:
  // one object per stream instead of three (the closure, its Alea, the Rng), which
  // a simulator with thousands of trials in flight touches cold on every step.
  // Seeding (Baagoe's mash of the seed string) is still seedrandom's.
  private c: number;
  private s0: number;
  private s1: number;
  private s2: number;
  // Box-Muller makes two normals per pair of uniforms; keep the spare.
  private spareNormal = Number.NaN;

  constructor(seed: string, state?: RngState) {
    const start: AleaState = state ? state.alea : seedrandom.alea(seed, { state: true }).state();
    this.c = start.c;
    this.s0 = start.s0;
    this.s1 = start.s1;
    this.s2 = start.s2;
    if (state) this.spareNormal = state.spare ?? Number.NaN;
  }

  /** Uniform float in [0, 1): seedrandom's alea step, the same numbers bit for bit (test/core/rng.test.ts). */
  next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    return (this.s2 = t - (this.c = t | 0));
  }

  private boundUniform: (() => number) | undefined;

  /**
   * A bound uniform source, for APIs that take `() => number` (core/space).
   * Made on first use: the simulator makes a stream per trial, and most never need it.
   */
  get uniform(): () => number {
    return (this.boundUniform ??= () => this.next());
  }


  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Rewinds (or forwards) this stream to a saved state. */
  restore(state: RngState): void {
    this.c = state.alea.c;
    this.s0 = state.alea.s0;
    this.s1 = state.alea.s1;
    this.s2 = state.alea.s2;
    this.spareNormal = state.spare ?? Number.NaN;
  }

  save(): RngState {
    const state: RngState = { alea: { c: this.c, s0: this.s0, s1: this.s1, s2: this.s2 } };
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
