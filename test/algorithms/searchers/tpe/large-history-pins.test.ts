/**
 * Pinned TPE suggestions at the history sizes issue 14 times (N = 1,000 and 2,000 on
 * Hartmann6), where the bad group has hundreds of components, the magic clip floors most
 * bandwidths and the argmax comes from bounds. Recorded at commit 7431a0b, before the
 * incremental bad-group kernels: every speed change must propose the very same configs.
 * The history is random (a searcher still in its random phase, handed over by save and
 * restore), then suggestions are told back one by one, or four at a time (the constant
 * liar puts the pending ones in the bad group, and finishing them moves trials between groups).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TPESearcher, type TPESearcherOptions } from "../../../../algorithms/searchers/index.ts";
import type { Config } from "../../../../core/contracts/index.ts";
import { uniform, type Space } from "../../../../core/space/index.ts";
import { hartmann6 } from "../../../../benchmarks/objectives/index.ts";

const space: Space = Object.fromEntries(hartmann6.bounds.map(([low, high], i) => [`x${i}`, uniform(low, high)]));
const x = new Float64Array(6);
const loss = (c: Config): number => {
  for (let i = 0; i < 6; i++) x[i] = c[`x${i}`] as number;
  return hartmann6.evaluate(x);
};

function digest(options: TPESearcherOptions, history: number, count: number, batch: number): string {
  const builder = new TPESearcher(space, { ...options, nStartupTrials: history + 1 });
  let t = 0;
  const tell = (searcher: TPESearcher, id: string, config: Config) =>
    searcher.onTrialComplete(id, { trialId: id, iteration: 1, metrics: { y: loss(config) }, time: t, timeTotal: 1 });
  for (; t < history; t++) tell(builder, `h${t}`, builder.suggest(`h${t}`) as Config);
  const searcher = new TPESearcher(space, options);
  searcher.restore(builder.save());
  const hash = createHash("sha256");
  for (let k = 0; k < count; k += batch) {
    const pending: Array<[string, Config]> = [];
    for (let b = 0; b < batch; b++) {
      const id = `t${k + b}`;
      const config = searcher.suggest(id) as Config;
      hash.update(JSON.stringify(config));
      pending.push([id, config]);
    }
    for (const [id, config] of pending) tell(searcher, id, config);
  }
  return hash.digest("hex").slice(0, 16);
}

const base = { metric: "y", mode: "min" as const };
const cases: Record<string, (seed: number) => string> = {
  "univariate, N = 1,000, one at a time": (seed) => digest({ ...base, seed }, 1000, 12, 1),
  "univariate, N = 2,000, four pending": (seed) => digest({ ...base, seed }, 2000, 12, 4),
  "univariate, normalized scoring, N = 1,000": (seed) => digest({ ...base, seed, scoring: "normalized" }, 1000, 8, 1),
  "multivariate+group, N = 1,000, one at a time": (seed) => digest({ ...base, seed, multivariate: true, group: true }, 1000, 8, 1),
  "multivariate+group, N = 2,000, four pending": (seed) => digest({ ...base, seed, multivariate: true, group: true }, 2000, 8, 4),
};

const PINNED: Record<string, readonly string[]> = {
  "univariate, N = 1,000, one at a time": ["9227c347c33f7960", "4e9e002eec8d6a40"],
  "univariate, N = 2,000, four pending": ["10ca9f1a9f6a3d44", "1e799c3ad7eb20d5"],
  "univariate, normalized scoring, N = 1,000": ["e9374b0c862c7652", "0a73efd54588062a"],
  "multivariate+group, N = 1,000, one at a time": ["7fcc46ecb1299ccb", "c7df3de287d2fc78"],
  "multivariate+group, N = 2,000, four pending": ["784935d208dfff5d", "ab472dfcb13f1a96"],
};

describe("TPE proposes the pinned configs at N = 1,000 and 2,000", () => {
  for (const [name, run] of Object.entries(cases)) {
    it(name, () => {
      const digests = [1, 2].map((seed) => run(seed));
      expect(new Set(digests).size).toBe(2);
      expect(digests).toEqual(PINNED[name]);
    });
  }
});
