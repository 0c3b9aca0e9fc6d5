import type { Config, Json, Result } from "./result.ts";

/**
 * Ask/tell search algorithm. Constructed as `new X(space, { metric, mode, seed, ...options })`.
 *
 * Call order, per trial: `suggest(id)` once (answering a config creates the trial);
 * then zero or more `onTrialResult(id, r)` in iteration order (an iteration may
 * repeat after a restore); then exactly one `onTrialComplete(id, last, error)`.
 * Many trials may be between `suggest` and `onTrialComplete` at once.
 * `save()` may be called between any two calls; `restore(s)` on a fresh instance
 * built with the same space and options continues with identical suggestions.
 */
export interface Searcher {
  /** A new config, `"wait"` (ask again after some trial completes) or `"done"` (no more trials). */
  suggest(trialId: string): Config | "wait" | "done";
  onTrialResult?(trialId: string, result: Result): void;
  onTrialComplete(trialId: string, last?: Result, error?: boolean): void;
  save(): Json;
  restore(state: Json): void;
}
