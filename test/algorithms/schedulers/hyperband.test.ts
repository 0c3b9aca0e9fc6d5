import { describe, expect, it } from "vitest";
import { HyperBandForBOHB, HyperBandScheduler, hyperbandPlan } from "../../../algorithms/schedulers/index.ts";
import { OptionError, type Result } from "../../../core/contracts/index.ts";
import { benchmarkByName } from "../../../benchmarks/objectives/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { RecordingScheduler, runScripted } from "../../../testing/index.ts";

describe("hyperbandPlan", () => {
  it("matches Table 1 of Li et al. 2018 for R = 81, eta = 3: every n_i and r_i for s = 4..0", () => {
    const table = hyperbandPlan(81, 3).map((b) => ({ s: b.s, stages: b.stages.map((st) => [st.trials, st.milestone]) }));
    expect(table).toEqual([
      { s: 4, stages: [[81, 1], [27, 3], [9, 9], [3, 27], [1, 81]] },
      { s: 3, stages: [[34, 3], [11, 9], [3, 27], [1, 81]] },
      { s: 2, stages: [[15, 9], [5, 27], [1, 81]] },
      { s: 1, stages: [[8, 27], [2, 81]] },
      { s: 0, stages: [[5, 81]] },
    ]);
  });

  it("handles maxT that is not a power of eta (fractional first milestones, last at maxT)", () => {
    const plan = hyperbandPlan(100, 3);
    expect(plan.map((b) => b.s)).toEqual([4, 3, 2, 1, 0]);
    expect(plan[0]?.stages[0]?.milestone).toBeCloseTo(100 / 81, 12);
    for (const b of plan) expect(b.stages[b.stages.length - 1]?.milestone).toBe(100);
    expect(hyperbandPlan(2, 3)).toEqual([{ s: 0, stages: [{ trials: 1, milestone: 2 }] }]);
  });
});

describe("HyperBandScheduler", () => {
  it("validates options eagerly and names the option", () => {
    expect(() => new HyperBandScheduler({ metric: "loss", mode: "min", reductionFactor: 1 })).toThrow(
      "HyperBandScheduler.reductionFactor: must be a finite number > 1, got 1",
    );
    expect(() => new HyperBandScheduler({ metric: "loss", mode: "min", maxT: 0 })).toThrow(OptionError);
    expect(() => new HyperBandScheduler({ metric: "loss", mode: "avg" as "min" })).toThrow("HyperBandScheduler.mode");
    expect(() => new HyperBandForBOHB({ metric: "", mode: "min" })).toThrow("HyperBandForBOHB.metric");
  });

  it("fills brackets s = s_max..0 in the paper's order, then cycles", () => {
    const hb = new HyperBandScheduler({ metric: "loss", mode: "min", maxT: 9, reductionFactor: 3 });
    // s_max = 2: bracket sizes 9, 5 (ceil(3/2*3)), 3.
    const run = runScripted({ scheduler: hb, trials: 20, workers: 4, seed: 1 });
    const s = run.loop.trials.map((t) => hb.bracketInfo(t.id)?.s);
    expect(s).toEqual([...Array(9).fill(2), ...Array(5).fill(1), ...Array(3).fill(0), 2, 2, 2]);
  });

  it("runs a full R = 81, eta = 3 band on the simulator: every bracket halves by floor(n/3) and losers end at once", () => {
    const bench = benchmarkByName("branin");
    const hb = new HyperBandScheduler({ metric: "loss", mode: "min", maxT: 81, reductionFactor: 3 });
    const completedAt = new Map<string, number>();
    const rec = new RecordingScheduler(hb);
    const original = rec.onTrialComplete.bind(rec);
    rec.onTrialComplete = (trial, last?: Result) => {
      completedAt.set(trial.id, rec.context?.now() ?? 0);
      original(trial, last);
    };
    const run = simulate({
      objective: bench.objective,
      space: bench.space,
      metric: "loss",
      mode: "min",
      trials: 143, // one whole band: 81 + 34 + 15 + 8 + 5
      scheduler: rec,
      cluster: { gpus: 16 },
      seed: 4,
      checkInvariants: true,
    });
    const plan = hyperbandPlan(81, 3);
    const lastIterations = new Map<number, number[]>();
    for (const t of run.trials) {
      const s = hb.bracketInfo(t.id)?.s as number;
      lastIterations.set(s, [...(lastIterations.get(s) ?? []), t.lastResult?.iteration ?? 0]);
    }
    for (const bracket of plan) {
      const iterations = lastIterations.get(bracket.s) ?? [];
      const counts = bracket.stages.map((stage) => iterations.filter((i) => i >= stage.milestone).length);
      expect(counts).toEqual(bracket.stages.map((stage) => stage.trials));
    }
    // Losers of a halving end when it happens, not when the experiment does.
    const end = run.summary.simulatedSeconds;
    const early = [...completedAt.values()].filter((t) => t < end).length;
    expect(early).toBeGreaterThan(100);
    expect(run.trials.every((t) => t.status === "TERMINATED")).toBe(true);
  });

  it("closes an under-filled last bracket once no more trials can come, and halves what it has", () => {
    const hb = new HyperBandScheduler({ metric: "loss", mode: "min", maxT: 9, reductionFactor: 3 });
    // 7 trials: bracket s = 2 planned for 9 gets 7; floor(7/3) = 2 go on, then floor(2/3) = 0.
    const run = runScripted({ scheduler: hb, trials: 7, workers: 2, seed: 3 });
    const last = run.loop.trials.map((t) => t.lastResult?.iteration ?? 0).sort((a, b) => b - a);
    expect(last).toEqual([3, 3, 1, 1, 1, 1, 1]);
  });

  it("HyperBandForBOHB tells the budget observer each result's budget", () => {
    const seen: Array<[string, number, number]> = [];
    const hb = new HyperBandForBOHB({
      metric: "loss",
      mode: "min",
      maxT: 9,
      reductionFactor: 3,
      budgetObserver: { onTrialBudget: (id, budget, result) => seen.push([id, budget, result.iteration]) },
    });
    const run = runScripted({ scheduler: hb, trials: 9, workers: 3, seed: 5 });
    expect(seen.length).toBe(run.executor.steps);
    for (const [, budget, iteration] of seen) {
      // The budget is the milestone the trial's stage runs to: 1, 3 or 9.
      expect([1, 3, 9]).toContain(budget);
      expect(iteration).toBeLessThanOrEqual(budget);
    }
    expect(hb.budgetOf("t00000")).toBeDefined();
  });
});
