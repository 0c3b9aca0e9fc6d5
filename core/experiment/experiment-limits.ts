import { OptionError } from "../errors/index.ts";

/**
 * The largest experiment the engine accepts. Every trial's record (config,
 * status, last result) stays in memory until the summary, and searchers keep
 * their observations; past this a run exhausts memory long before it ends
 * (10^8 trials reached 2 GB in 20 s), so it is refused up front instead.
 */
export const MAX_TRIALS = 100_000;

/**
 * Checks `trials` against MAX_TRIALS; `field` is the option or flag to name ("trials", "--trials").
 * Infinity (unlimited, under a budget) passes: the engine then caps the run at MAX_TRIALS.
 */
export function checkTrialCount(field: string, trials: number): number {
  if (trials > MAX_TRIALS && trials !== Number.POSITIVE_INFINITY) {
    throw new OptionError(field, `at most ${MAX_TRIALS}, since every trial's record is kept in memory for the summary, got ${trials}`);
  }
  return trials;
}
