import type { Config } from "../../../core/contracts/index.ts";

/**
 * One exploit, as Ray Tune logs it in pbt_policy_<trial>.txt: the trial, the
 * donor it cloned, the trial's iteration when it did, the donor checkpoint's
 * iteration (from which the clone goes on), the donor's config and the new one.
 */
export interface PolicyEntry {
  readonly trialId: string;
  readonly donorId: string;
  readonly trialIteration: number;
  readonly donorIteration: number;
  readonly donorConfig: Config;
  readonly config: Config;
  /** Loop clock when the exploit was decided. */
  readonly time: number;
}

/**
 * A trial's policy: the exploits of its lineage, oldest first (the donor's policy
 * at the time, then the trial's own exploit). Replaying it means: start with
 * the first entry's donorConfig, switch to entry k's config after iteration
 * entry k's donorIteration.
 */
export type Policy = readonly PolicyEntry[];

/** The hyperparameter schedule a policy describes: the initial config and the changes. */
export function policySchedule(policy: Policy): { initialConfig: Config; changes: Array<{ afterIteration: number; config: Config }> } | undefined {
  const first = policy[0];
  if (!first) return undefined;
  return {
    initialConfig: first.donorConfig,
    changes: policy.map((entry) => ({ afterIteration: entry.donorIteration, config: entry.config })),
  };
}
