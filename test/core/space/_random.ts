import { mulberry32 } from "../../../core/space/_internals/mulberry32.ts";
import type { Uniform01 } from "../../../core/space/index.ts";

/** Seeded Uniform01 for tests: the generator the space module itself uses. */
export function seededUniform(seed: number): Uniform01 {
  return mulberry32(seed);
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
