import type { Uniform01 } from "../../../core/space/index.ts";

/** Seeded Uniform01 for tests (mulberry32). */
export function seededUniform(seed: number): Uniform01 {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Uniform01 that replays fixed values (cycling), to hit exact corners. */
export function replay(...values: number[]): Uniform01 {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

export function isMultipleOf(value: number, q: number): boolean {
  const k = value / q;
  return Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, Math.abs(k));
}
