import type { Config } from "./result.ts";

/**
 * What a scheduler answers to each result. `exploit` (PBT) replaces the trial's
 * weights by `from`'s latest checkpoint and its config by `config`; with `from`
 * the trial itself it keeps its weights and changes only its config (PBT replay).
 */
export type Decision =
  | { readonly kind: "continue" }
  | { readonly kind: "pause" }
  | { readonly kind: "stop" }
  | { readonly kind: "exploit"; readonly from: string; readonly config: Config };

// Shared singletons: the hot loop must not allocate a decision per result.
export const CONTINUE: Decision = Object.freeze({ kind: "continue" });
export const PAUSE: Decision = Object.freeze({ kind: "pause" });
export const STOP: Decision = Object.freeze({ kind: "stop" });
