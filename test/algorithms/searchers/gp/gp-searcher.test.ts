import { describe, expect, it } from "vitest";
import { GP_BO_FIT_SKIP_OPTIONS, GP_BO_REFERENCE_OPTIONS, GPSearcher } from "../../../../algorithms/searchers/gp/gp-searcher.ts";
import { OptionError } from "../../../../core/contracts/index.ts";
import type { Result } from "../../../../core/contracts/index.ts";
import { choice, qrandint, uniform } from "../../../../core/space/index.ts";

const result = (id: string, y: number): Result => ({ trialId: id, iteration: 1, metrics: { y }, time: 0, timeTotal: 0 });
const fast = { metric: "y", mode: "min" as const, nStartupTrials: 5, randomCandidates: 200 };
const bowl = (c: { x: number; z: number }): number => (c.x - 0.3) ** 2 + (c.z - 0.6) ** 2;
const space = { x: uniform(0, 1), z: uniform(0, 1) };

describe("GPSearcher", () => {
  it("same seed, same suggestions; restore continues identically with pending trials", () => {
    const make = (): GPSearcher => new GPSearcher(space, { ...fast, seed: 4 });
    const a = make();
    const b = make();
    for (let t = 0; t < 12; t++) {
      const ca = a.suggest(String(t)) as { x: number; z: number };
      expect(b.suggest(String(t))).toEqual(ca);
      if (t !== 7) {
        a.onTrialComplete(String(t), result(String(t), bowl(ca)));
        b.onTrialComplete(String(t), result(String(t), bowl(ca)));
      }
    }
    const c = make();
    c.restore(JSON.parse(JSON.stringify(a.save())));
    for (let t = 12; t < 16; t++) {
      const ca = a.suggest(String(t)) as { x: number; z: number };
      expect(c.suggest(String(t))).toEqual(ca);
      a.onTrialComplete(String(t), result(String(t), bowl(ca)));
      c.onTrialComplete(String(t), result(String(t), bowl(ca)));
    }
  });

  it("finds the bowl's minimum better than its random start", () => {
    const s = new GPSearcher(space, { ...fast, seed: 1 });
    let bestStartup = Infinity;
    let best = Infinity;
    for (let t = 0; t < 20; t++) {
      const c = s.suggest(String(t)) as { x: number; z: number };
      const y = bowl(c);
      if (t < 5) bestStartup = Math.min(bestStartup, y);
      best = Math.min(best, y);
      s.onTrialComplete(String(t), result(String(t), y));
    }
    expect(best).toBeLessThan(Math.min(1e-3, bestStartup / 10));
  });

  it("kriging believer spreads a batch of pending suggestions", () => {
    const s = new GPSearcher(space, { ...fast, seed: 2 });
    for (let t = 0; t < 10; t++) {
      const c = s.suggest(String(t)) as { x: number; z: number };
      s.onTrialComplete(String(t), result(String(t), bowl(c)));
    }
    const batch = Array.from({ length: 6 }, (_, k) => s.suggest(`p${k}`) as { x: number; z: number });
    let closest = Infinity;
    for (let i = 0; i < batch.length; i++) {
      for (let j = 0; j < i; j++) {
        const a = batch[i] as { x: number; z: number };
        const b = batch[j] as { x: number; z: number };
        closest = Math.min(closest, Math.hypot(a.x - b.x, a.z - b.z));
      }
    }
    expect(closest).toBeGreaterThan(1e-3);
  });

  it("handles integers, categoricals and a conditional branch; UCB works too", () => {
    const mixed = { n: qrandint(1, 8), act: choice(["a", "b"]), opt: choice([{ name: "sgd", m: uniform(0, 1) }, { name: "adam" }]) };
    const s = new GPSearcher(mixed, { ...fast, seed: 3, acquisition: "ucb" });
    for (let t = 0; t < 14; t++) {
      const c = s.suggest(String(t)) as { n: number; act: string; opt: { name: string; m?: number } };
      expect(Number.isInteger(c.n) && c.n >= 1 && c.n <= 8).toBe(true);
      expect(["a", "b"]).toContain(c.act);
      expect(c.opt.name === "sgd" ? typeof c.opt.m === "number" : !("m" in c.opt)).toBe(true);
      s.onTrialComplete(String(t), result(String(t), (c.n - 5) ** 2 + (c.act === "a" ? 1 : 0) + (c.opt.name === "sgd" ? (c.opt.m as number) : 0.5)));
    }
  });

  it("rejects bad options naming the option", () => {
    expect(() => new GPSearcher(space, { metric: "y", mode: "min", acquisition: "pi" as "ei" })).toThrow(/acquisition/);
    expect(() => new GPSearcher(space, { metric: "y", mode: "min", restarts: 0 })).toThrow(/restarts/);
  });

  it("maxPosteriorPoints: below the cap nothing changes; above it the search still closes in on the minimum", () => {
    const run = (cap: number, seed: number): number[] => {
      const s = new GPSearcher(space, { ...fast, seed, maxFitPoints: 12, maxPosteriorPoints: cap });
      const ys: number[] = [];
      for (let t = 0; t < 30; t++) {
        const c = s.suggest(String(t)) as { x: number; z: number };
        ys.push(bowl(c));
        s.onTrialComplete(String(t), result(String(t), bowl(c)));
      }
      return ys;
    };
    const uncapped = run(1000, 2);
    // A cap above the trial count is no cap.
    expect(run(30, 2)).toEqual(uncapped);
    const capped = run(12, 2);
    expect(capped.slice(0, 13)).toEqual(uncapped.slice(0, 13));
    expect(capped).not.toEqual(uncapped);
    expect(Math.min(...capped.slice(20))).toBeLessThan(0.01);
    expect(() => new GPSearcher(space, { ...fast, seed: 1, maxPosteriorPoints: 0 })).toThrow(/GPSearcher.maxPosteriorPoints/);
  });

  it("fitSkipPeriod: past fitSkipAfter trials the hyperparameters move only on every k-th suggestion", () => {
    // refitEvery far away: after the first (full) fit every fit is a warm one.
    const thetas = (options: object): Array<number[] | null> => {
      const s = new GPSearcher(space, { ...fast, seed: 5, refitEvery: 1000, warmIterations: 15, ...options });
      const out: Array<number[] | null> = [];
      for (let t = 0; t < 16; t++) {
        const c = s.suggest(String(t)) as { x: number; z: number };
        out.push((s.save() as { theta: number[] | null }).theta);
        s.onTrialComplete(String(t), result(String(t), bowl(c)));
      }
      return out;
    };
    const skipping = thetas({ fitSkipPeriod: 3, fitSkipAfter: 0 });
    // Suggestion 5 is the first model one (full fit); then 2 skipped, 1 fitted, ...
    const changed = skipping.slice(6).map((theta, k) => JSON.stringify(theta) !== JSON.stringify(skipping[5 + k]));
    expect(changed).toEqual([false, false, true, false, false, true, false, false, true, false]);
    // Period 1 fits on every suggestion: the hyperparameters also move where the skipping run's stood still.
    const every = thetas({ fitSkipPeriod: 1 });
    const everyChanged = every.slice(6).map((theta, k) => JSON.stringify(theta) !== JSON.stringify(every[5 + k]));
    expect(everyChanged.filter((moved, k) => moved && !changed[k]).length).toBeGreaterThan(2);
    // Below fitSkipAfter finished trials nothing is skipped.
    expect(thetas({ fitSkipPeriod: 3, fitSkipAfter: 100 })).toEqual(every);
  });

  it("the fit-skip rule (round 5) differs from the reference rule only past fitSkipAfter trials", () => {
    const run = (options: object): number[] => {
      const s = new GPSearcher(space, { ...fast, seed: 6, ...options, randomCandidates: 200 });
      const ys: number[] = [];
      for (let t = 0; t < 40; t++) {
        const c = s.suggest(String(t)) as { x: number; z: number };
        ys.push(bowl(c));
        s.onTrialComplete(String(t), result(String(t), bowl(c)));
      }
      return ys;
    };
    const reference = run(GP_BO_REFERENCE_OPTIONS);
    expect(run({ warmIterations: 15, fitSkipPeriod: 1, refitGrowth: 1 })).toEqual(reference);
    const fitSkip = run(GP_BO_FIT_SKIP_OPTIONS);
    // fitSkipAfter 30: suggestion 30 is the first that may skip (30 finished trials).
    expect(fitSkip.slice(0, 31)).toEqual(reference.slice(0, 31));
    expect(fitSkip).not.toEqual(reference);
    // The default (5 warm steps from the first warm fit on) differs from both.
    const fallback = run({});
    expect(fallback.slice(0, 6)).toEqual(reference.slice(0, 6));
    expect(fallback).not.toEqual(fitSkip);
  });

  it("refitGrowth: full refits once the finished trials have grown by the factor and by refitEvery", () => {
    // The finished-trial count at the last full refit, after each suggestion (saved as lastFullFit).
    const fullFits = (options: object): number[] => {
      const s = new GPSearcher(space, { ...fast, seed: 8, randomCandidates: 50, restarts: 1, warmIterations: 1, fitSkipAfter: 0, ...options });
      const at = new Set<number>();
      for (let t = 0; t < 62; t++) {
        const c = s.suggest(String(t)) as { x: number; z: number };
        at.add((s.save() as { lastFullFit: number }).lastFullFit);
        s.onTrialComplete(String(t), result(String(t), bowl(c)));
      }
      return [...at].filter((n) => n > 0);
    };
    // The first model suggestion (5 finished) fits from scratch; then n >= max(last + 10, 1.5 last).
    expect(fullFits({})).toEqual([5, 15, 25, 38, 57]);
    expect(fullFits({ refitGrowth: 2 })).toEqual([5, 15, 30, 60]);
    // 1: every refitEvery trials, the rule before round 6.
    expect(fullFits({ refitGrowth: 1 })).toEqual([5, 15, 25, 35, 45, 55]);
  });

  it("restore between full refits keeps the refit schedule", () => {
    const make = (): GPSearcher => new GPSearcher(space, { ...fast, seed: 9, randomCandidates: 50, refitEvery: 3, refitGrowth: 1.5 });
    const a = make();
    for (let t = 0; t < 14; t++) {
      const c = a.suggest(String(t)) as { x: number; z: number };
      a.onTrialComplete(String(t), result(String(t), bowl(c)));
    }
    const b = make();
    b.restore(JSON.parse(JSON.stringify(a.save())));
    for (let t = 14; t < 22; t++) {
      const ca = a.suggest(String(t)) as { x: number; z: number };
      expect(b.suggest(String(t))).toEqual(ca);
      expect(b.save()).toEqual(a.save());
      a.onTrialComplete(String(t), result(String(t), bowl(ca)));
      b.onTrialComplete(String(t), result(String(t), bowl(ca)));
    }
  });

  it("restore in the middle of a skip period continues identically", () => {
    const make = (): GPSearcher => new GPSearcher(space, { ...fast, seed: 7, fitSkipAfter: 0, refitEvery: 1000 });
    const a = make();
    for (let t = 0; t < 7; t++) {
      const c = a.suggest(String(t)) as { x: number; z: number };
      a.onTrialComplete(String(t), result(String(t), bowl(c)));
    }
    const b = make();
    b.restore(JSON.parse(JSON.stringify(a.save())));
    for (let t = 7; t < 12; t++) {
      const ca = a.suggest(String(t)) as { x: number; z: number };
      expect(b.suggest(String(t))).toEqual(ca);
      a.onTrialComplete(String(t), result(String(t), bowl(ca)));
      b.onTrialComplete(String(t), result(String(t), bowl(ca)));
    }
  });

  it("rejects bad fitSkipPeriod, fitSkipAfter and refitGrowth with an OptionError naming them", () => {
    for (const [options, field] of [
      [{ refitGrowth: 0.5 }, "GPSearcher.refitGrowth"],
      [{ refitGrowth: Number.NaN }, "GPSearcher.refitGrowth"],
      [{ refitGrowth: Number.POSITIVE_INFINITY }, "GPSearcher.refitGrowth"],
      [{ fitSkipPeriod: 0 }, "GPSearcher.fitSkipPeriod"],
      [{ fitSkipPeriod: 1.5 }, "GPSearcher.fitSkipPeriod"],
      [{ fitSkipAfter: -1 }, "GPSearcher.fitSkipAfter"],
      [{ fitSkipAfter: Number.NaN }, "GPSearcher.fitSkipAfter"],
    ] as const) {
      const build = (): GPSearcher => new GPSearcher(space, { ...fast, ...options });
      expect(build).toThrow(OptionError);
      expect(build).toThrow(field);
    }
  });
});
