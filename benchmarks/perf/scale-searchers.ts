/** ms per suggestion of the model-based searchers on Hartmann6 (6 floats) with N finished trials, for benchmarks/perf/scale.ts. */
import { GPSearcher, TPESearcher } from "../../algorithms/searchers/index.ts";
import type { Config, Searcher } from "../../core/contracts/index.ts";
import { uniform, type Space } from "../../core/space/index.ts";
import { hartmann6 } from "../objectives/index.ts";

const space: Space = Object.fromEntries(hartmann6.bounds.map(([low, high], i) => [`x${i}`, uniform(low, high)]));
const x = new Float64Array(6);
function loss(config: Config): number {
  for (let i = 0; i < 6; i++) x[i] = config[`x${i}`] as number;
  return hartmann6.evaluate(x);
}

/** A searcher with `startup` random trials before its model: `history + 1` builds a random history. */
type Factory = (startup?: number) => Searcher;
const base = { metric: "y", mode: "min" as const, seed: 0 };

export const searcherFactories = {
  "tpe-univariate": (startup?: number) => new TPESearcher(space, { ...base, ...(startup ? { nStartupTrials: startup } : {}) }),
  "tpe-multivariate": (startup?: number) => new TPESearcher(space, { ...base, multivariate: true, group: true, ...(startup ? { nStartupTrials: startup } : {}) }),
  gp: (startup?: number) => new GPSearcher(space, { ...base, ...(startup ? { nStartupTrials: startup } : {}) }),
} satisfies Record<string, Factory>;

function tell(searcher: Searcher, id: string, config: Config, t: number): void {
  searcher.onTrialComplete(id, { trialId: id, iteration: 1, metrics: { y: loss(config) }, time: t, timeTotal: 1 });
}

/**
 * Median ms per suggestion with `history` random finished trials (the method of
 * compare-search.ts --speed): the history is built by a searcher still in its
 * random phase, handed over by save/restore; `warmup` suggestions are not timed.
 */
export function msPerSuggestion(factory: Factory, history: number, repeats: number, warmup: number): number {
  const builder = factory(history + 1);
  for (let t = 0; t < history; t++) {
    const id = `h${t}`;
    tell(builder, id, builder.suggest(id) as Config, t);
  }
  const timed = factory();
  timed.restore(builder.save());
  const times: number[] = [];
  for (let r = 0; r < warmup + repeats; r++) {
    const id = `t${r}`;
    const started = performance.now();
    const config = timed.suggest(id) as Config;
    if (r >= warmup) times.push(performance.now() - started);
    tell(timed, id, config, r);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1] as number;
}
