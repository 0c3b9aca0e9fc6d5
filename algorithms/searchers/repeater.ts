import { OptionError } from "../../core/contracts/index.ts";
import type { Config, Json, Result, Searcher } from "../../core/contracts/index.ts";
import { positiveInteger } from "./searcher-options.ts";

export interface RepeaterOptions {
  /** The metric whose mean over the repeats the wrapped searcher receives. */
  metric: string;
  /** @defaultValue 1 */
  repeat?: number;
  /** Put the repeat's index (0-based) in the config under `__trial_index__`, as Ray does. @defaultValue true */
  setIndex?: boolean;
}

export const TRIAL_INDEX = "__trial_index__";

interface Group {
  primary: string;
  config: Config;
  members: string[];
  scores: Map<string, number>;
  errors: number;
}

/**
 * Ray Tune's Repeater: each config from the wrapped searcher runs `repeat`
 * times (e.g. over seeds); once every repeat has completed, the searcher is told
 * the mean of `metric` (NaN-ignoring, like numpy's nanmean) under the first trial's id.
 */
export class Repeater implements Searcher {
  readonly repeat: number;
  readonly setIndex: boolean;
  readonly metric: string;
  private groups: Group[] = [];
  private groupOf = new Map<string, Group>();

  constructor(
    private readonly searcher: Searcher,
    options: RepeaterOptions,
  ) {
    if (typeof options.metric !== "string" || options.metric === "") {
      throw new OptionError("Repeater.metric", "needs the metric name to average");
    }
    this.metric = options.metric;
    this.repeat = positiveInteger("Repeater.repeat", options.repeat ?? 1);
    this.setIndex = options.setIndex ?? true;
  }

  suggest(trialId: string): Config | "wait" | "done" {
    let group = this.groups[this.groups.length - 1];
    if (!group || group.members.length >= this.repeat) {
      const suggestion = this.searcher.suggest(trialId);
      if (typeof suggestion !== "object") return suggestion;
      group = { primary: trialId, config: suggestion, members: [], scores: new Map(), errors: 0 };
      this.groups.push(group);
    }
    const index = group.members.length;
    group.members.push(trialId);
    this.groupOf.set(trialId, group);
    return this.setIndex ? { ...group.config, [TRIAL_INDEX]: index } : { ...group.config };
  }

  onTrialComplete(trialId: string, last?: Result, error?: boolean): void {
    const group = this.groupOf.get(trialId);
    if (!group || group.scores.has(trialId)) return;
    const value = last?.metrics[this.metric];
    group.scores.set(trialId, value === undefined || error ? Number.NaN : value);
    if (error) group.errors++;
    if (group.scores.size < this.repeat) return;
    const finite = [...group.scores.values()].filter((v) => !Number.isNaN(v));
    if (finite.length === 0) {
      this.searcher.onTrialComplete(group.primary, undefined, true);
      return;
    }
    const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
    const base = last ?? { trialId: group.primary, iteration: 0, time: 0, timeTotal: 0, metrics: {} };
    this.searcher.onTrialComplete(group.primary, { ...base, trialId: group.primary, metrics: { [this.metric]: mean } }, false);
  }

  save(): Json {
    return {
      groups: this.groups.map((g) => ({
        primary: g.primary,
        config: g.config as Json,
        members: g.members,
        scores: [...g.scores].map(([k, v]) => [k, Number.isNaN(v) ? null : v]),
        errors: g.errors,
      })),
      searcher: this.searcher.save(),
    } as Json;
  }

  restore(state: Json): void {
    const s = state as unknown as {
      groups: Array<{ primary: string; config: Config; members: string[]; scores: Array<[string, number | null]>; errors: number }>;
      searcher: Json;
    };
    this.groups = s.groups.map((g) => ({
      primary: g.primary,
      config: g.config,
      members: [...g.members],
      scores: new Map(g.scores.map(([k, v]) => [k, v ?? Number.NaN])),
      errors: g.errors,
    }));
    this.groupOf = new Map();
    for (const g of this.groups) for (const m of g.members) this.groupOf.set(m, g);
    this.searcher.restore(s.searcher);
  }
}
