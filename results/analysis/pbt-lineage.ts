import type { Config } from "../../core/contracts/index.ts";
import type { ExploitRecord } from "../../core/experiment-dir/index.ts";

/** One copy: `recipient` took `donor`'s checkpoint at the donor's `iteration` and went on under `newConfig`. */
export interface LineageEdge {
  readonly time: number;
  readonly recipient: string;
  readonly donor: string;
  readonly iteration: number;
  readonly oldConfig: Config;
  readonly newConfig: Config;
  readonly reason: string;
}

/** From `iteration` on (of the weights' own training), the model was trained under `config`; `trialId` says whose run it was. */
export interface ScheduleStep {
  readonly iteration: number;
  readonly time: number;
  readonly trialId: string;
  readonly config: Config;
}

export interface PbtLineage {
  /** Every exploit, in time order: the edges of the exploit tree. */
  readonly edges: readonly LineageEdge[];
  /** Per trial, the hyperparameter schedule its final weights were trained under (Ray's PBT replay policy). */
  readonly schedules: ReadonlyMap<string, readonly ScheduleStep[]>;
}

/**
 * The exploit tree and each trial's schedule. A trial's final weights come from
 * its last exploit's donor, up to the donor checkpoint's iteration, and from its
 * own training after: the schedule follows that chain back to a trial that never copied.
 */
export function pbtLineage(exploits: readonly ExploitRecord[], initialConfigs: ReadonlyMap<string, Config>): PbtLineage {
  const edges: LineageEdge[] = exploits
    .map((e) => ({ time: e.time, recipient: e.trial_id, donor: e.donor, iteration: e.iteration, oldConfig: e.old_config, newConfig: e.new_config, reason: e.reason }))
    .sort((a, b) => a.time - b.time);
  const byRecipient = new Map<string, LineageEdge[]>();
  for (const e of edges) byRecipient.set(e.recipient, [...(byRecipient.get(e.recipient) ?? []), e]);

  const scheduleOf = (trialId: string, before: number): ScheduleStep[] => {
    const own = (byRecipient.get(trialId) ?? []).filter((e) => e.time < before);
    const last = own.at(-1);
    if (!last) return [{ iteration: 0, time: 0, trialId, config: initialConfigs.get(trialId) ?? {} }];
    // Strictly earlier events only, so the recursion always ends (a self-exploit included).
    const inherited = scheduleOf(last.donor, last.time).filter((s) => s.iteration <= last.iteration);
    return [...inherited, { iteration: last.iteration, time: last.time, trialId, config: last.newConfig }];
  };
  const schedules = new Map<string, ScheduleStep[]>();
  for (const id of initialConfigs.keys()) schedules.set(id, scheduleOf(id, Number.POSITIVE_INFINITY));
  return { edges, schedules };
}
