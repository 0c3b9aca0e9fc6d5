import type { Config, Json, Result, Searcher } from "../../core/contracts/index.ts";
import { positiveInteger } from "./searcher-options.ts";

export interface ConcurrencyLimiterOptions {
  maxConcurrent: number;
  /** Wait until the whole batch of `maxConcurrent` trials completes before suggesting more (Ray's `batch=True`). @defaultValue false */
  batch?: boolean;
}

/** Ray Tune's ConcurrencyLimiter: at most `maxConcurrent` live trials from the wrapped searcher. */
export class ConcurrencyLimiter implements Searcher {
  readonly maxConcurrent: number;
  readonly batch: boolean;
  private live = new Set<string>();
  private batchOpen = true;

  constructor(
    private readonly searcher: Searcher,
    options: ConcurrencyLimiterOptions,
  ) {
    this.maxConcurrent = positiveInteger("ConcurrencyLimiter.maxConcurrent", options.maxConcurrent);
    this.batch = options.batch ?? false;
  }

  suggest(trialId: string): Config | "wait" | "done" {
    if (this.live.size >= this.maxConcurrent || (this.batch && !this.batchOpen)) return "wait";
    const suggestion = this.searcher.suggest(trialId);
    if (typeof suggestion === "object") {
      this.live.add(trialId);
      if (this.batch && this.live.size >= this.maxConcurrent) this.batchOpen = false;
    }
    return suggestion;
  }

  onTrialResult(trialId: string, result: Result): void {
    this.searcher.onTrialResult?.(trialId, result);
  }

  onTrialComplete(trialId: string, last?: Result, error?: boolean): void {
    if (!this.live.delete(trialId)) return;
    this.searcher.onTrialComplete(trialId, last, error);
    if (this.live.size === 0) this.batchOpen = true;
  }

  save(): Json {
    return { live: [...this.live], batchOpen: this.batchOpen, searcher: this.searcher.save() };
  }

  restore(state: Json): void {
    const s = state as { live: string[]; batchOpen: boolean; searcher: Json };
    this.live = new Set(s.live);
    this.batchOpen = s.batchOpen;
    this.searcher.restore(s.searcher);
  }
}
