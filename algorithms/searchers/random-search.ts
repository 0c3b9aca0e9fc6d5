import type { Config, Json, Result, Searcher } from "../../core/contracts/index.ts";
import { restoreRng, rngFor, type Rng, type RngState } from "../../core/rng.ts";
import { expandGrid, sampleConfig, validateSpace, type Space } from "../../core/space/index.ts";
import { resolveSearcherOptions, type ResolvedSearcherOptions, type SearcherOptions } from "./searcher-options.ts";

/**
 * Independent random samples from the space, one seeded stream for the whole
 * search (so the suggestions depend only on the seed and their order).
 * Grid leaves are drawn uniformly like `choice`; use GridSearch to expand them.
 */
export class RandomSearch implements Searcher {
  private readonly options: ResolvedSearcherOptions;
  private rng: Rng;
  private readonly gridVariants: ReadonlyArray<Record<string, unknown>>;

  constructor(
    private readonly space: Space,
    options: SearcherOptions,
  ) {
    this.options = resolveSearcherOptions(options, "RandomSearch");
    validateSpace(space);
    this.rng = rngFor(this.options.seed, "searcher:random");
    this.gridVariants = expandGrid(space);
  }

  suggest(): Config {
    // A uniform pick from the grid product is an independent uniform pick per grid leaf.
    const variants = this.gridVariants;
    const assignment = variants.length > 1 ? variants[this.rng.int(variants.length)] : variants[0];
    return sampleConfig(this.space, this.rng.uniform, assignment);
  }

  onTrialComplete(_trialId: string, _last?: Result, _error?: boolean): void {}

  save(): Json {
    return { rng: this.rng.save() } as unknown as Json;
  }

  restore(state: Json): void {
    this.rng = restoreRng(this.options.seed, "searcher:random", (state as unknown as { rng: RngState }).rng);
  }
}
