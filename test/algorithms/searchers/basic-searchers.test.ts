import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter, GridSearch, RandomSearch, Repeater, TRIAL_INDEX, defaultSearcher } from "../../../algorithms/searchers/index.ts";
import type { Config, Result } from "../../../core/contracts/index.ts";
import { choice, grid, uniform } from "../../../core/space/index.ts";
import { checkSearcher, contractSpace, driveSearcher as drive, type SearcherFactory } from "../../../testing/index.ts";

/** The public kit's searcher properties, plus clean errors for a bad metric or mode. */
function searcherContract(name: string, make: SearcherFactory, options: Parameters<typeof checkSearcher>[1] = {}): void {
  it(`${name}: passes checkSearcher (space, determinism, save/restore, pending, wait/done, late and errored results)`, () => {
    // A short run: test/testing/builtin-searchers.test.ts runs every built-in searcher through the kit at length.
    expect(checkSearcher(make, { numRuns: 10, ...options }).cases).toBe(10);
  });
  it(`${name}: names the option on bad metric or mode`, () => {
    const opts = { metric: "loss", mode: "min" as const, seed: 7 };
    expect(() => make(contractSpace, { ...opts, metric: "" })).toThrow(/\.metric: needs a non-empty metric name/);
    expect(() => make(contractSpace, { ...opts, mode: "lowest" as "min" })).toThrow(/\.mode: must be "min" or "max"/);
  });
}

const done = (trialId: string, loss: number): Result => ({ trialId, iteration: 1, metrics: { loss }, time: 0, timeTotal: 0 });

describe("RandomSearch", () => {
  searcherContract("RandomSearch", (space, o) => new RandomSearch(space, o));

  it("samples grid leaves uniformly when asked to search a grid space at random", () => {
    const s = new RandomSearch({ g: grid([1, 2, 3]) }, { metric: "loss", mode: "min" });
    const counts = new Map<unknown, number>();
    for (let i = 0; i < 3000; i++) {
      const v = (s.suggest() as Config)["g"];
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(120); // ~4 binomial sds
  });
});

describe("GridSearch (Ray's BasicVariantGenerator)", () => {
  searcherContract("GridSearch", (space, o) => new GridSearch(space, { ...o, numSamples: 100 }));

  it("runs grid product x numSamples trials, the grid inside the sample loop, then answers done", () => {
    const space = { a: grid([1, 2]), b: grid(["x", "y", "z"]), c: uniform(0, 1) };
    const s = new GridSearch(space, { metric: "loss", mode: "min", numSamples: 2 });
    expect(s.total).toBe(12);
    const out = drive(s, 13);
    expect(out[12]).toBe("done");
    const pairs = out.slice(0, 12).map((c) => `${(c as Config)["a"]}${(c as Config)["b"]}`);
    expect(pairs).toEqual(["1x", "1y", "1z", "2x", "2y", "2z", "1x", "1y", "1z", "2x", "2y", "2z"]);
    // Random leaves are re-sampled per trial.
    expect(new Set(out.slice(0, 12).map((c) => (c as Config)["c"])).size).toBe(12);
  });

  it("names a bad numSamples", () => {
    expect(() => new GridSearch({ a: grid([1]) }, { metric: "loss", mode: "min", numSamples: 0 })).toThrow("GridSearch.numSamples: must be an integer >= 1, got 0");
  });

  it("defaultSearcher expands a grid space to cover the trials, and samples other spaces at random", () => {
    const g = defaultSearcher({ a: grid([1, 2, 3]) }, { metric: "loss", mode: "min" }, 7);
    expect(g).toBeInstanceOf(GridSearch);
    expect((g as GridSearch).total).toBe(9);
    expect(defaultSearcher(contractSpace, { metric: "loss", mode: "min" }, 7)).toBeInstanceOf(RandomSearch);
  });
});

describe("ConcurrencyLimiter", () => {
  searcherContract("ConcurrencyLimiter", (space, o) => new ConcurrencyLimiter(new RandomSearch(space, o), { maxConcurrent: 64 }));

  it("answers wait while maxConcurrent trials are live", () => {
    const s = new ConcurrencyLimiter(new RandomSearch(contractSpace, { metric: "loss", mode: "min" }), { maxConcurrent: 2 });
    expect(typeof s.suggest("a")).toBe("object");
    expect(typeof s.suggest("b")).toBe("object");
    expect(s.suggest("c")).toBe("wait");
    s.onTrialComplete("a", done("a", 1));
    expect(typeof s.suggest("c")).toBe("object");
  });

  it("in batch mode waits for the whole batch to finish", () => {
    const s = new ConcurrencyLimiter(new RandomSearch(contractSpace, { metric: "loss", mode: "min" }), { maxConcurrent: 2, batch: true });
    s.suggest("a");
    s.suggest("b");
    s.onTrialComplete("a", done("a", 1));
    expect(s.suggest("c")).toBe("wait");
    s.onTrialComplete("b", done("b", 1));
    expect(typeof s.suggest("c")).toBe("object");
  });
});

describe("Repeater", () => {
  it("repeats each config, sets __trial_index__, and reports the mean once all repeats complete", () => {
    const seen: Array<[string, Result | undefined]> = [];
    const inner = new RandomSearch({ x: uniform(0, 1), opt: choice(["a", "b"]) }, { metric: "loss", mode: "min" });
    inner.onTrialComplete = (id, last) => void seen.push([id, last]);
    const r = new Repeater(inner, { metric: "loss", repeat: 3 });
    const configs = ["t0", "t1", "t2", "t3"].map((id) => r.suggest(id) as Config);
    expect(configs.map((c) => c[TRIAL_INDEX])).toEqual([0, 1, 2, 0]);
    const strip = (c: Config) => ({ ...c, [TRIAL_INDEX]: undefined });
    expect(strip(configs[1]!)).toEqual(strip(configs[0]!));
    expect(strip(configs[3]!)).not.toEqual(strip(configs[0]!));
    r.onTrialComplete("t0", done("t0", 1));
    r.onTrialComplete("t2", done("t2", 3));
    expect(seen).toHaveLength(0);
    r.onTrialComplete("t1", undefined, true); // an errored repeat is ignored in the mean (nanmean)
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toBe("t0");
    expect(seen[0]?.[1]?.metrics).toEqual({ loss: 2 });
  });

  searcherContract("Repeater", (space, o) => new Repeater(new RandomSearch(space, o), { metric: o.metric, repeat: 1 }), { extraKeys: [TRIAL_INDEX] });
});
