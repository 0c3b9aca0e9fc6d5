import seedrandom from "seedrandom";
import { SavedStateError } from "./contracts/index.ts";
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
  // alea's state, stepped here rather than through seedrandom's closure: one
  // object per stream instead of three (the closure, its Alea, the Rng), which a
  // simulator with thousands of trials in flight touches cold on every step.
  // alea's three numbers are always k / 2^32 for an integer k < 2^32 (mash gives
  // such numbers, and a step keeps them so, exactly), and its carry is an integer:
  // kept as int32 fields (small integers in V8, stored in the object) instead of
  // doubles (each a separate boxed number on the heap, another cache miss per draw).
  // Seeding (Baagoe's mash of the seed string) is still seedrandom's.
  private c: number;
  private k0: number;
  private k1: number;
  private k2: number;
  // Box-Muller makes two normals per pair of uniforms; keep the spare.
  private spareNormal = Number.NaN;

  constructor(seed: string, state?: RngState) {
    const start: AleaState = state ? state.alea : seedrandom.alea(seed, { state: true }).state();
    this.c = start.c | 0;
    this.k0 = toWord(start.s0);
    this.k1 = toWord(start.s1);
    this.k2 = toWord(start.s2);
    if (state) this.spareNormal = state.spare ?? Number.NaN;
  }

  /** Uniform float in [0, 1): seedrandom's alea step, the same numbers bit for bit (test/core/rng.test.ts). */
  next(): number {
    // alea: t = 2091639 s0 + c / 2^32; c' = floor(t); s2' = t - c'. Scaled by 2^32, all of it is exact integer arithmetic (< 2^53).
    const t = 2091639 * (this.k0 >>> 0) + this.c;
    const carry = Math.floor(t * TWO_TO_MINUS_32);
    const word = t - carry * TWO_TO_32;
    this.c = carry;
    this.k0 = this.k1;
    this.k1 = this.k2;
    this.k2 = word | 0;
    return word * TWO_TO_MINUS_32;
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
    this.c = state.alea.c | 0;
    this.k0 = toWord(state.alea.s0);
    this.k1 = toWord(state.alea.s1);
    this.k2 = toWord(state.alea.s2);
    this.spareNormal = state.spare ?? Number.NaN;
  }

  save(): RngState {
    const state: RngState = { alea: { c: this.c, s0: (this.k0 >>> 0) * TWO_TO_MINUS_32, s1: (this.k1 >>> 0) * TWO_TO_MINUS_32, s2: (this.k2 >>> 0) * TWO_TO_MINUS_32 } };
    return Number.isNaN(this.spareNormal) ? state : { ...state, spare: this.spareNormal };
  }
}

const TWO_TO_32 = 4294967296;
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/**
 * One of alea's numbers (k / 2^32) as the int32 bits of k. A saved state only
 * ever holds such numbers; anything else is not a state this stream wrote.
 */
function toWord(s: number): number {
  const k = s * TWO_TO_32;
  if (!(k >= 0 && k < TWO_TO_32 && Number.isInteger(k))) {
    throw new SavedStateError("random stream state", `alea number ${s} is not k / 2^32 for an integer 0 <= k < 2^32`);
  }
  return k | 0;
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
