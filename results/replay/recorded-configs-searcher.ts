import type { Config, Json, Searcher } from "../../core/contracts/index.ts";
import { restoreRng, rngFor, type RngState } from "../../core/rng.ts";
import { positiveInteger } from "../../core/errors/index.ts";

export interface RecordedConfigSearcherOptions {
  seed: number;
  /** How many trials to suggest. @defaultValue every recorded config once */
  trials?: number;
}

/**
 * Suggests recorded configs in a seeded random order: every config once (a
 * shuffle), and, when more trials are asked for than there are configs, further
 * shuffled passes. The searcher of a replay that must stay on recorded curves
 * (ASHA, HyperBand, median stopping; PBT's explore still needs unrecorded: "nearest").
 */
export class RecordedConfigSearcher implements Searcher {
  private rng;
  private order: number[] = [];
  private suggested = 0;
  private readonly limit: number;

  constructor(
    private readonly configs: readonly Config[],
    private readonly options: RecordedConfigSearcherOptions,
  ) {
    this.rng = rngFor(options.seed, "searcher:recorded");
    this.limit = options.trials === undefined ? configs.length : positiveInteger("RecordedConfigSearcher.trials", options.trials);
  }

  suggest(): Config | "done" {
    if (this.suggested >= this.limit || this.configs.length === 0) return "done";
    if (this.order.length === 0) this.order = this.shuffled();
    this.suggested++;
    return structuredClone(this.configs[this.order.pop() as number] as Config);
  }

  onTrialComplete(): void {}

  save(): Json {
    return { rng: this.rng.save(), order: this.order, suggested: this.suggested } as unknown as Json;
  }

  restore(state: Json): void {
    const s = state as unknown as { rng: RngState; order: number[]; suggested: number };
    this.rng = restoreRng(this.options.seed, "searcher:recorded", s.rng);
    this.order = [...s.order];
    this.suggested = s.suggested;
  }

  /** Fisher-Yates over the config indices; popped from the end. */
  private shuffled(): number[] {
    const order = this.configs.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order;
  }
}
