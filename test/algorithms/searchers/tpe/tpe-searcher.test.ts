import { describe, expect, it } from "vitest";
import { splitObservations } from "../../../../algorithms/searchers/tpe/split-observations.ts";
import { TPESearcher } from "../../../../algorithms/searchers/tpe/tpe-searcher.ts";
import type { Result } from "../../../../core/contracts/index.ts";
import { choice, loguniform, qrandint, uniform } from "../../../../core/space/index.ts";

const result = (id: string, y: number, iteration = 1, done?: boolean): Result => ({
  trialId: id,
  iteration,
  metrics: { y },
  time: 0,
  timeTotal: 0,
  ...(done === undefined ? {} : { done }),
});

describe("TPESearcher", () => {
  it("concentrates proposals in the known good region after 30 trials", () => {
    // f(x) = (x - 0.7)^2 on [0, 1]; good region [0.6, 0.8] holds 20% of uniform draws.
    const width = 0.2;
    const seeds = [0, 1, 2, 3, 4];
    const perSeed = 30;
    let inside = 0;
    for (const seed of seeds) {
      for (const multivariate of [false, true]) {
        const searcher = new TPESearcher({ x: uniform(0, 1) }, { metric: "y", mode: "min", seed, multivariate });
        for (let t = 0; t < 30 + perSeed; t++) {
          const x = (searcher.suggest(String(t)) as { x: number }).x;
          if (t >= 30 && x >= 0.6 && x <= 0.8) inside++;
          searcher.onTrialComplete(String(t), result(String(t), (x - 0.7) ** 2));
        }
      }
    }
    const draws = seeds.length * 2 * perSeed;
    const fraction = inside / draws;
    // Random search would give `width` with sd sqrt(w(1-w)/draws) ~ 0.023; demand clearly
    // more than chance (mean + 6 sd) and at least twice the uniform share.
    const bound = Math.max(2 * width, width + 6 * Math.sqrt((width * (1 - width)) / draws));
    expect(fraction).toBeGreaterThan(bound);
  });

  it("same seed, same suggestions; another seed differs", () => {
    const space = { lr: loguniform(1e-4, 1), n: qrandint(1, 9), act: choice(["a", "b", "c"]) };
    const run = (seed: number): unknown[] => {
      const s = new TPESearcher(space, { metric: "y", mode: "max", seed });
      const out: unknown[] = [];
      for (let t = 0; t < 25; t++) {
        const c = s.suggest(String(t)) as { lr: number; n: number; act: string };
        out.push(c);
        s.onTrialComplete(String(t), result(String(t), Math.log(c.lr) - c.n + (c.act === "b" ? 1 : 0)));
      }
      return out;
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it("restore on a fresh instance continues with identical suggestions, pending trials included", () => {
    const space = { x: uniform(-2, 2), y: uniform(-2, 2), o: choice([{ kind: "a", z: uniform(0, 1) }, { kind: "b" }]) };
    const make = (): TPESearcher => new TPESearcher(space, { metric: "loss", mode: "min", seed: 9 });
    const loss = (c: Record<string, unknown>): number => ((c.x as number) ** 2 + (c.y as number) ** 2);
    const a = make();
    for (let t = 0; t < 20; t++) {
      const c = a.suggest(String(t));
      if (t % 3 !== 0) a.onTrialComplete(String(t), { ...result(String(t), 0), metrics: { loss: loss(c as Record<string, unknown>) } });
    }
    const b = make();
    b.restore(JSON.parse(JSON.stringify(a.save())));
    for (let t = 20; t < 35; t++) {
      const ca = a.suggest(String(t));
      expect(b.suggest(String(t))).toEqual(ca);
      const r = { ...result(String(t), 0), metrics: { loss: loss(ca as Record<string, unknown>) } };
      a.onTrialComplete(String(t), r);
      b.onTrialComplete(String(t), r);
    }
  });

  it("constant liar spreads many pending suggestions", () => {
    const make = (constantLiar: boolean, seed: number, goodWeighting: "weights" | "expected-improvement"): number[] => {
      const s = new TPESearcher({ x: uniform(0, 1) }, { metric: "y", mode: "min", seed, constantLiar, goodWeighting });
      for (let t = 0; t < 30; t++) {
        const x = (s.suggest(String(t)) as { x: number }).x;
        s.onTrialComplete(String(t), result(String(t), (x - 0.3) ** 2));
      }
      return Array.from({ length: 40 }, (_, k) => (s.suggest(`p${k}`) as { x: number }).x);
    };
    const spread = (xs: number[]): number => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    };
    // A tendency, not a law for every seed: wider on at least 4 of 5 seeds, for either weighting.
    for (const goodWeighting of ["weights", "expected-improvement"] as const) {
      let wider = 0;
      for (const seed of [0, 1, 2, 3, 4]) {
        const withLiar = make(true, seed, goodWeighting);
        expect(new Set(withLiar).size).toBe(40);
        if (spread(withLiar) > spread(make(false, seed, goodWeighting))) wider++;
      }
      expect(wider).toBeGreaterThanOrEqual(4);
    }
  });

  it("conditional spaces: branch parameters only when their branch is taken", () => {
    const space = { opt: choice([{ name: "sgd", momentum: uniform(0, 1) }, { name: "adam" }]), lr: loguniform(1e-4, 1e-1) };
    for (const multivariate of [false, true]) {
      const s = new TPESearcher(space, { metric: "y", mode: "min", seed: 1, multivariate });
      for (let t = 0; t < 40; t++) {
        const c = s.suggest(String(t)) as { opt: { name: string; momentum?: number }; lr: number };
        expect(c.opt.name === "sgd" ? typeof c.opt.momentum : "absent").toBe(c.opt.name === "sgd" ? "number" : "absent");
        const y = c.opt.name === "sgd" ? ((c.opt.momentum as number) - 0.9) ** 2 : 0.5;
        s.onTrialComplete(String(t), result(String(t), y + Math.abs(Math.log10(c.lr) + 2)));
      }
    }
  });

  it("ranks early-stopped trials as Optuna ranks pruned ones: after trials that went further, by value", () => {
    const records = [
      { id: "complete-bad", step: -Infinity, loss: 5 },
      { id: "pruned-at-3", step: -3, loss: 0 },
      { id: "complete-good", step: -Infinity, loss: 1 },
      { id: "pruned-at-9", step: -9, loss: 2 },
      { id: "running", step: Infinity, loss: Infinity },
    ];
    const { below, above } = splitObservations(records, 3);
    expect(below.map((r) => r.id)).toEqual(["complete-bad", "complete-good", "pruned-at-9"]);
    expect(above.map((r) => r.id)).toEqual(["pruned-at-3", "running"]);
  });

  it("a trial that ends with done counts as complete; errors are ignored", () => {
    const s = new TPESearcher({ x: uniform(0, 1) }, { metric: "y", mode: "min", seed: 0, nStartupTrials: 2 });
    s.suggest("a");
    s.onTrialResult("a", result("a", 3, 1));
    s.onTrialComplete("a", result("a", 2, 5, true));
    s.suggest("b");
    s.onTrialComplete("b", undefined, true);
    const state = s.save() as { trials: Array<{ id: string; state: string; step: number | string; loss: number }> };
    expect(state.trials[0]).toMatchObject({ id: "a", state: "finished", step: "-Infinity", loss: 2 });
    expect(state.trials[1]).toMatchObject({ id: "b", state: "error" });
  });

  it("rejects bad options naming the option", () => {
    expect(() => new TPESearcher({ x: uniform(0, 1) }, { metric: "y", mode: "min", nEiCandidates: 0 })).toThrow(/nEiCandidates/);
    expect(() => new TPESearcher({ x: uniform(0, 1) }, { metric: "y", mode: "min", multivariate: false, group: true })).toThrow(/group/);
    expect(() => new TPESearcher({ x: uniform(0, 1) }, { metric: "y", mode: "min", priorWeight: -1 })).toThrow(/priorWeight/);
  });
});

describe("TPESearcher constant liar", () => {
  it("ranks a running trial as worst even after it reported a good intermediate value", () => {
    const make = (): TPESearcher => new TPESearcher({ x: uniform(0, 1) }, { metric: "y", mode: "min", seed: 5, nStartupTrials: 3 });
    const a = make();
    const b = make();
    for (const s of [a, b]) {
      for (let t = 0; t < 12; t++) {
        const x = (s.suggest(String(t)) as { x: number }).x;
        s.onTrialComplete(String(t), { trialId: String(t), iteration: 1, metrics: { y: Math.abs(x - 0.5) }, time: 0, timeTotal: 0 });
      }
      s.suggest("running");
    }
    // Only `a` hears a (brilliant) intermediate value; with the liar both rank it as worst.
    a.onTrialResult("running", { trialId: "running", iteration: 1, metrics: { y: -100 }, time: 0, timeTotal: 0 });
    expect(a.suggest("next")).toEqual(b.suggest("next"));
  });
});
