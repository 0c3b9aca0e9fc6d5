import { describe, expect, it } from "vitest";
import { BOHBSearcher, GPSearcher, TPESearcher } from "../../../algorithms/searchers/index.ts";
import type { Result, Searcher } from "../../../core/contracts/index.ts";
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
  it("copes with many pending trials: valid, mostly distinct suggestions", () => {
    const s = make(1);
    for (let t = 0; t < 15; t++) {
      const c = s.suggest(String(t)) as C;
      s.onTrialComplete(String(t), result(String(t), loss(c)));
    }
    const pending = Array.from({ length: 60 }, (_, k) => s.suggest(`p${k}`) as C);
    for (const c of pending) expect(inDomain(c)).toBe(true);
    expect(new Set(pending.map((c) => JSON.stringify(c))).size).toBeGreaterThan(50);
  });

  it("is deterministic under its seed and resumes exactly from save()", () => {
    const a = make(7);
    const b = make(7);
    for (let t = 0; t < 18; t++) {
      const c = a.suggest(String(t)) as C;
      expect(b.suggest(String(t))).toEqual(c);
      a.onTrialComplete(String(t), result(String(t), loss(c)));
      b.onTrialComplete(String(t), result(String(t), loss(c)));
    }
    a.suggest("pending");
    const resumed = make(7);
    resumed.restore(JSON.parse(JSON.stringify(a.save())));
    for (let t = 18; t < 24; t++) {
      const c = a.suggest(String(t)) as C;
      expect(resumed.suggest(String(t))).toEqual(c);
      a.onTrialComplete(String(t), result(String(t), loss(c)));
      resumed.onTrialComplete(String(t), result(String(t), loss(c)));
    }
  });

  it("names the metric option when it is missing", () => {
    expect(() => new TPESearcher(space, { metric: "", mode: "min" })).toThrow(/metric/);
    expect(() => new GPSearcher(space, { metric: "loss", mode: "up" as "min" })).toThrow(/mode/);
    expect(() => new BOHBSearcher(space, { metric: "loss", mode: "min", seed: 0.5 })).toThrow(/seed/);
  });
});
