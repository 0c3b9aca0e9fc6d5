import { describe, expect, it } from "vitest";
import { BOHBSearcher, GPSearcher, TPESearcher } from "../../../algorithms/searchers/index.ts";
import type { Result, Searcher } from "../../../core/contracts/index.ts";
import { checkSearcher } from "../../../testing/index.ts";
import { choice, loguniform, qrandint, randint, uniform } from "../../../core/space/index.ts";

// The contract every model-based searcher meets (DESIGN: determinism, save/restore,
// bounds, many pending trials, clean option errors); algorithm tests sit beside this file.
const space = {
  lr: loguniform(1e-4, 1e-1),
  layers: randint(1, 5),
  width: qrandint(16, 128, 16),
  act: choice(["relu", "tanh"]),
  opt: choice([{ name: "sgd", momentum: uniform(0, 1) }, { name: "adam" }]),
};
type C = { lr: number; layers: number; width: number; act: string; opt: { name: string; momentum?: number } };
const loss = (c: C): number => (Math.log10(c.lr) + 2.5) ** 2 + (c.layers - 3) ** 2 / 4 + (c.act === "tanh" ? 0.3 : 0) + (c.opt.name === "sgd" ? (c.opt.momentum as number) : 0.5);
const result = (id: string, y: number): Result => ({ trialId: id, iteration: 1, metrics: { loss: y }, time: 0, timeTotal: 0 });
const factories: Record<string, (seed: number) => Searcher> = {
  tpe: (seed) => new TPESearcher(space, { metric: "loss", mode: "min", seed }),
  "tpe univariate": (seed) => new TPESearcher(space, { metric: "loss", mode: "min", seed, multivariate: false }),
  bohb: (seed) => new BOHBSearcher(space, { metric: "loss", mode: "min", seed }),
  gp: (seed) => new GPSearcher(space, { metric: "loss", mode: "min", seed, randomCandidates: 200 }),
};

function inDomain(c: C): boolean {
  return (
    c.lr >= 1e-4 && c.lr < 1e-1 && Number.isInteger(c.layers) && c.layers >= 1 && c.layers <= 4 && c.width % 16 === 0 && c.width >= 16 && c.width <= 128 &&
    ["relu", "tanh"].includes(c.act) && (c.opt.name === "adam" ? !("momentum" in c.opt) : (c.opt.momentum as number) >= 0 && (c.opt.momentum as number) < 1)
  );
}

describe.each(Object.entries(factories))("%s searcher contract", (_name, make) => {
  it("passes the public kit on this space: inside it, deterministic, exact save/restore, 60 pending mostly distinct, late and errored results", () => {
    const report = checkSearcher((s, o) => make(o.seed), { space, score: (c) => loss(c as unknown as C), numRuns: 8, maxSteps: 40, warmup: 15, pending: 60, minDistinctFraction: 50 / 60 });
    expect(report.cases).toBe(8);
    // The kit's bounds check agrees with this file's own reading of the space.
    const s = make(3);
    for (let t = 0; t < 20; t++) {
      const c = s.suggest(String(t)) as C;
      expect(inDomain(c)).toBe(true);
      s.onTrialComplete(String(t), result(String(t), loss(c)));
    }
  });

  it("names the metric option when it is missing", () => {
    expect(() => new TPESearcher(space, { metric: "", mode: "min" })).toThrow(/metric/);
    expect(() => new GPSearcher(space, { metric: "loss", mode: "up" as "min" })).toThrow(/mode/);
    expect(() => new BOHBSearcher(space, { metric: "loss", mode: "min", seed: 0.5 })).toThrow(/seed/);
  });
});
