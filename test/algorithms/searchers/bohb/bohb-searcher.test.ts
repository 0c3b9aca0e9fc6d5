import { describe, expect, it } from "vitest";
import { BOHBSearcher } from "../../../../algorithms/searchers/bohb/bohb-searcher.ts";
import { fitProductKde, kdePdf } from "../../../../algorithms/searchers/bohb/kde.ts";
import { HyperBandForBOHB } from "../../../../algorithms/schedulers/index.ts";
import type { Result } from "../../../../core/contracts/index.ts";
import { choice, uniform } from "../../../../core/space/index.ts";
import { simulate } from "../../../../simulator/index.ts";
import { countingObjective, countingSpace } from "../../../_helpers/objectives.ts";

const at = (id: string, iteration: number, y: number): Result => ({ trialId: id, iteration, metrics: { y }, time: 0, timeTotal: 0 });

describe("BOHB KDE", () => {
  it("uses the normal-reference bandwidth 1.06 sd n^(-1/(4+d)), floored at minBandwidth", () => {
    const data = [0.1, 0.2, 0.4, 0.7].map((v) => Float64Array.from([v, 1]));
    const kde = fitProductKde(data, [0, 3], 1e-3);
    const sd = Math.sqrt([0.1, 0.2, 0.4, 0.7].reduce((s, v) => s + (v - 0.35) ** 2, 0) / 4);
    expect(kde.bandwidths[0]).toBeCloseTo(1.06 * sd * 4 ** (-1 / 6), 12);
    expect(kde.bandwidths[1]).toBe(1e-3);
  });

  it("is a density: integrates to 1 (continuous) and sums to 1 over categories (Aitchison-Aitken)", () => {
    const kde = fitProductKde([0.3, 0.5, 0.55].map((v, i) => Float64Array.from([v, i % 3])), [0, 3], 1e-3);
    let total = 0;
    const steps = 4000;
    for (let i = 0; i < steps; i++) {
      const x = -2 + (4 * (i + 0.5)) / steps;
      for (let c = 0; c < 3; c++) total += kdePdf(kde, [x, c]) * (4 / steps);
    }
    expect(total).toBeCloseTo(1, 6);
  });
});

describe("BOHBSearcher", () => {
  it("models the largest budget with enough points (budget-annotated result stream)", () => {
    // At budget 1 small x looks good; at budget 9 (the real objective) x near 0.8 is best.
    const s = new BOHBSearcher({ x: uniform(0, 1) }, { metric: "y", mode: "min", seed: 5, randomFraction: 0 });
    for (let t = 0; t < 40; t++) {
      const id = String(t);
      const x = (s.suggest(id) as { x: number }).x;
      s.onTrialResult(id, at(id, 1, x));
      if (t < 30) {
        s.onTrialResult(id, at(id, 3, Math.abs(x - 0.8)));
        s.onTrialResult(id, at(id, 9, Math.abs(x - 0.8)));
        s.onTrialComplete(id, at(id, 9, Math.abs(x - 0.8)));
      } else {
        s.onTrialComplete(id, at(id, 1, x));
      }
    }
    const next = Array.from({ length: 30 }, (_, k) => (s.suggest(`n${k}`) as { x: number }).x);
    const nearGood = next.filter((x) => Math.abs(x - 0.8) < 0.15).length / next.length;
    expect(nearGood).toBeGreaterThan(0.6);
  });

  it("stays random until a budget has enough points for both KDEs", () => {
    const s = new BOHBSearcher({ x: uniform(0, 1), y: uniform(0, 1) }, { metric: "y", mode: "min", seed: 1 });
    // d = 2: good and bad KDEs each need more than d points, min points d + 1 = 3: 6 points.
    const state = (): { budgets: unknown[] } => s.save() as { budgets: unknown[] };
    for (let t = 0; t < 5; t++) {
      s.suggest(String(t));
      s.onTrialComplete(String(t), at(String(t), 1, t));
    }
    expect(state().budgets).toHaveLength(1);
  });

  it("same seed, same suggestions; restore continues identically", () => {
    const space = { x: uniform(0, 1), c: choice([{ k: "a", z: uniform(0, 1) }, { k: "b" }]) };
    const make = (): BOHBSearcher => new BOHBSearcher(space, { metric: "y", mode: "max", seed: 8 });
    const value = (c: { x: number; c: { k: string; z?: number } }): number => -Math.abs(c.x - 0.2) + (c.c.k === "a" ? (c.c.z as number) : 0.3);
    const a = make();
    const b = make();
    for (let t = 0; t < 30; t++) {
      const ca = a.suggest(String(t)) as { x: number; c: { k: string; z?: number } };
      expect(b.suggest(String(t))).toEqual(ca);
      a.onTrialComplete(String(t), at(String(t), 1 + (t % 3), value(ca)));
      b.onTrialComplete(String(t), at(String(t), 1 + (t % 3), value(ca)));
    }
    const c = make();
    c.restore(JSON.parse(JSON.stringify(a.save())));
    for (let t = 30; t < 40; t++) {
      const ca = a.suggest(String(t));
      expect(c.suggest(String(t))).toEqual(ca);
    }
  });

  it("takes its budgets from HyperBandForBOHB in a simulated run", () => {
    const searcher = new BOHBSearcher(countingSpace, { metric: "loss", mode: "min", seed: 3 });
    const scheduler = new HyperBandForBOHB({ metric: "loss", mode: "min", maxT: 9, reductionFactor: 3, budgetObserver: searcher });
    const run = simulate({ objective: countingObjective, space: countingSpace, searcher, scheduler, metric: "loss", mode: "min", trials: 40, seed: 3, maxIterations: 9, cluster: { gpus: 4 } });
    expect(run.trials.length).toBe(40);
    const budgets = (searcher.save() as { budgets: Array<{ budget: number }>; budgetsFromScheduler: boolean });
    expect(budgets.budgetsFromScheduler).toBe(true);
    // HyperBand milestones with R = 9, eta = 3 are 1, 3 and 9.
    for (const { budget } of budgets.budgets) expect([1, 3, 9]).toContain(budget);
  });

  it("rejects bad options naming the option", () => {
    expect(() => new BOHBSearcher({ x: uniform(0, 1) }, { metric: "y", mode: "min", topNPercent: 100 })).toThrow(/topNPercent/);
    expect(() => new BOHBSearcher({ x: uniform(0, 1) }, { metric: "y", mode: "min", randomFraction: 2 })).toThrow(/randomFraction/);
  });
});
