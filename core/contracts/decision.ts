import type { Config } from "./result.ts";

/**
 * What a scheduler answers to each result. `exploit` (PBT) replaces the trial's
 * weights by `from`'s latest checkpoint and its config by `config`; with `from`
 * the trial itself it keeps its weights and changes only its config (PBT replay).
 */
export type Decision =
  | { readonly kind: "continue"; readonly reason?: string }
  | { readonly kind: "pause"; readonly reason?: string }
  | { readonly kind: "stop"; readonly reason?: string }
  | { readonly kind: "exploit"; readonly from: string; readonly config: Config; readonly reason?: string };
// `reason` says why, for people (decisions.jsonl, reports): "below the rung-2 cutoff 0.412".
// A "continue" with a reason is a promotion (ASHA's promotion type resuming a trial at once).

// Shared singletons: the hot loop must not allocate a decision per result.
export const CONTINUE: Decision = Object.freeze({ kind: "continue" });
export const PAUSE: Decision = Object.freeze({ kind: "pause" });
export const STOP: Decision = Object.freeze({ kind: "stop" });

/** A decision with its reason; allocated only off the hot path (a stop, a pause, a promotion). */
export function stopBecause(reason: string): Decision {
  return { kind: "stop", reason };
}

export function pauseBecause(reason: string): Decision {
  return { kind: "pause", reason };
}

export function promoteBecause(reason: string): Decision {
  return { kind: "continue", reason };
}

/** A metric value short enough for a reason string. */
export function shortNumber(value: number): string {
  return String(Number(value.toPrecision(4)));
}
