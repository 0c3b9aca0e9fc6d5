import type { Config, Json, Result, Searcher } from "../../core/contracts/index.ts";
import { restoreRng, rngFor, type Rng, type RngState } from "../../core/rng.ts";
import { expandGrid, sampleConfig, validateSpace, type Space } from "../../core/space/index.ts";
import { positiveInteger, resolveSearcherOptions, type ResolvedSearcherOptions, type SearcherOptions } from "./searcher-options.ts";

export interface GridSearchOptions extends SearcherOptions {
  /** Repeats of the whole grid; random leaves are re-sampled for each. @defaultValue 1 */
  numSamples?: number;
}

/**
 * Ray Tune's BasicVariantGenerator: every combination of the grid leaves,
 * `numSamples` times over (the sample loop outside, the grid inside, as Ray
 * does), random leaves sampled afresh for each trial. Answers "done" after
 * `numSamples x grid size` trials.
 */
export class GridSearch implements Searcher {
  private readonly options: ResolvedSearcherOptions;
  private readonly numSamples: number;
  private readonly variants: ReadonlyArray<Record<string, unknown>>;
  private rng: Rng;
  private next = 0;

  constructor(
    private readonly space: Space,
    options: GridSearchOptions,
  ) {
    this.options = resolveSearcherOptions(options, "GridSearch");
    this.numSamples = positiveInteger("GridSearch.numSamples", options.numSamples ?? 1);
    validateSpace(space);
    this.variants = expandGrid(space);
    this.rng = rngFor(this.options.seed, "searcher:grid");
  }

  /** Trials this search will create: grid size x numSamples. */
  get total(): number {
    return this.variants.length * this.numSamples;
  }

  suggest(): Config | "done" {
    if (this.next >= this.total) return "done";
    const variant = this.variants[this.next % this.variants.length];
    this.next++;
    return sampleConfig(this.space, this.rng.uniform, variant);
  }

  onTrialComplete(_trialId: string, _last?: Result, _error?: boolean): void {}

  save(): Json {
    return { next: this.next, rng: this.rng.save() } as unknown as Json;
  }

  restore(state: Json): void {
    const s = state as unknown as { next: number; rng: RngState };
    this.next = s.next;
    this.rng = restoreRng(this.options.seed, "searcher:grid", s.rng);
  }
}
