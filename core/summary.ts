import { OptionError } from "./contracts/index.ts";
import type { Config, Mode, Result, TrialStatus, TrialView } from "./contracts/index.ts";

/** Which value of a trial's history ranks it (Ray's `scope`): "last", "all" (best ever), "avg", or "last-N-avg". */
export type Scope = "last" | "all" | "avg" | `last-${number}-avg`;

export interface BestTrial {
  readonly trialId: string;
  readonly metric: number;
  readonly config: Config;
  readonly iteration: number;
}

/** The value that ranks `history` under `scope`, or undefined when no result has `metric`. */
export function scopedValue(history: readonly Result[], metric: string, mode: Mode, scope: Scope): number | undefined {
  const values: number[] = [];
  for (const r of history) {
    const v = r.metrics[metric];
    if (v !== undefined) values.push(v);
  }
  if (values.length === 0) return undefined;
  if (scope === "last") return values[values.length - 1];
  if (scope === "all") return mode === "max" ? Math.max(...values) : Math.min(...values);
  const n = scope === "avg" ? values.length : lastN(scope);
  const tail = values.slice(-n);
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

function lastN(scope: string): number {
  const match = /^last-(\d+)-avg$/.exec(scope);
  const n = match ? Number(match[1]) : Number.NaN;
  if (!(n >= 1)) throw new OptionError("scope", `must be "last", "all", "avg" or "last-N-avg" with N >= 1, got "${scope}"`);
  return n;
}

/**
 * Best trial by `scope`; ties go to the earlier trial so the answer is deterministic.
 * Trials in ERROR are left out unless `includeErrored`: a trial that crashed is not
 * a result to deploy, even if its last report looked good.
 */
export function bestTrial(
  trials: readonly TrialView[],
  metric: string,
  mode: Mode,
  scope: Scope = "last",
  includeErrored = false,
): BestTrial | undefined {
  let best: BestTrial | undefined;
  for (const trial of trials) {
    if (trial.status === "ERROR" && !includeErrored) continue;
    const value = scopedValue(trial.history, metric, mode, scope);
    if (value === undefined) continue;
    if (!best || (mode === "max" ? value > best.metric : value < best.metric)) {
      best = { trialId: trial.id, metric: value, config: trial.config, iteration: trial.lastResult?.iteration ?? 0 };
    }
  }
  return best;
}

export function countByStatus(trials: readonly TrialView[]): Record<TrialStatus, number> {
  const counts: Record<TrialStatus, number> = { PENDING: 0, RUNNING: 0, PAUSED: 0, TERMINATED: 0, ERROR: 0 };
  for (const t of trials) counts[t.status]++;
  return counts;
}
