import { describe, expect, it } from "vitest";
import { ASHAScheduler } from "../../../algorithms/schedulers/index.ts";
import { linearQuantile } from "../../../algorithms/schedulers/_internals/quantile.ts";
import type { Result, SchedulerContext, TrialView } from "../../../core/contracts/index.ts";
import { benchmarkByName } from "../../../benchmarks/objectives/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { runScripted } from "../../../testing/index.ts";

/** A bare trial view for driving a scheduler by hand. */
function view(index: number, status: TrialView["status"] = "RUNNING"): TrialView {
  return {
    id: `t${index}`,
    index,
    status,
    config: {},
    resources: { cpu: 1, gpu: 1 },
    history: [],
    lastResult: undefined,
    latestCheckpoint: undefined,
    savePending: false,
    errorMessage: undefined,
  };
}

function result(trial: TrialView, iteration: number, loss: number): Result {
  return { trialId: trial.id, iteration, metrics: { loss }, time: iteration, timeTotal: iteration };
}

const context: SchedulerContext = { now: () => 0, trials: () => [], requestCheckpoint: () => {} };

describe("ASHAScheduler", () => {
  it("validates options eagerly and names the option", () => {
    const base = { metric: "loss", mode: "min" as const };
    expect(() => new ASHAScheduler({ ...base, reductionFactor: 1 })).toThrow("ASHAScheduler.reductionFactor: must be a finite number > 1, got 1");
    expect(() => new ASHAScheduler({ ...base, maxT: -1 })).toThrow("ASHAScheduler.maxT");
    expect(() => new ASHAScheduler({ ...base, gracePeriod: 0 })).toThrow("ASHAScheduler.gracePeriod");
    expect(() => new ASHAScheduler({ ...base, gracePeriod: 100 })).toThrow("ASHAScheduler.gracePeriod: must be < maxT (100), got 100");
    expect(() => new ASHAScheduler({ ...base, brackets: 0 })).toThrow("ASHAScheduler.brackets");
    expect(() => new ASHAScheduler({ ...base, brackets: 5 })).toThrow("ASHAScheduler.brackets: bracket 4 would have no rung");
    expect(() => new ASHAScheduler({ ...base, type: "halving" as "stopping" })).toThrow('ASHAScheduler.type: must be "stopping" or "promotion"');
    expect(() => new ASHAScheduler({ metric: "loss", mode: "best" as "min" })).toThrow("ASHAScheduler.mode");
    expect(() => new ASHAScheduler({ ...base, timeAttr: "" })).toThrow("ASHAScheduler.timeAttr");
  });

  it("puts rungs of bracket s at gracePeriod * rf^(k+s) below maxT (defaults: 1, 4, 16, 64)", () => {
    const asha = new ASHAScheduler({ metric: "loss", mode: "min", brackets: 3 });
    expect(asha.rungs().map((b) => b.map((r) => r.milestone))).toEqual([[1, 4, 16, 64], [4, 16, 64], [16, 64]]);
    const exact = new ASHAScheduler({ metric: "loss", mode: "min", maxT: 81, reductionFactor: 3 });
    expect(exact.rungs()[0]?.map((r) => r.milestone)).toEqual([1, 3, 9, 27]);
  });

  it("draws brackets with probability proportional to exp(rungs - max rungs), as Ray Tune does", () => {
    const asha = new ASHAScheduler({ metric: "loss", mode: "min", brackets: 3, seed: 11 });
    const counts = [0, 0, 0];
    const n = 6000;
    for (let i = 0; i < n; i++) {
      asha.onTrialAdd(view(i));
      const b = asha.bracketIndexOf(`t${i}`) as number;
      counts[b] = (counts[b] as number) + 1;
    }
    const weights = [1, Math.exp(-1), Math.exp(-2)];
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => expect((counts[i] as number) / n).toBeCloseTo(w / total, 1));
  });

  it("stopping: the first arrival at a rung continues; later ones stop below the (1 - 1/rf) quantile of what the rung holds", () => {
    const asha = new ASHAScheduler({ metric: "loss", mode: "min", reductionFactor: 2, maxT: 10, gracePeriod: 1 });
    asha.setContext(context);
    const trials = [0, 1, 2, 3].map((i) => view(i));
    trials.forEach((t) => asha.onTrialAdd(t));
    expect(asha.onTrialResult(trials[0] as TrialView, result(trials[0] as TrialView, 1, 5)).kind).toBe("continue");
    // Rung 1 holds {-5}: the median score is -5; loss 6 (score -6) is worse.
    expect(asha.onTrialResult(trials[1] as TrialView, result(trials[1] as TrialView, 1, 6)).kind).toBe("stop");
    // Rung holds {-5, -6}: cutoff = median = -5.5; loss 5.4 (score -5.4) continues.
    expect(asha.onTrialResult(trials[2] as TrialView, result(trials[2] as TrialView, 1, 5.4)).kind).toBe("continue");
    expect(linearQuantile([-5, -6, -5.4], 0.5)).toBeCloseTo(-5.4, 12);
    // Equal to the cutoff is not strictly worse: continues.
    expect(asha.onTrialResult(trials[3] as TrialView, result(trials[3] as TrialView, 1, 5.4)).kind).toBe("continue");
    // Between rungs nothing is decided; at maxT every trial stops.
    expect(asha.onTrialResult(trials[0] as TrialView, result(trials[0] as TrialView, 1.5, 99)).kind).toBe("continue");
    expect(asha.onTrialResult(trials[0] as TrialView, result(trials[0] as TrialView, 10, 0)).kind).toBe("stop");
  });

  it("stopping: mode max ranks the other way", () => {
    const asha = new ASHAScheduler({ metric: "acc", mode: "max", reductionFactor: 2, maxT: 10 });
    const [a, b] = [view(0), view(1)];
    asha.onTrialAdd(a);
    asha.onTrialAdd(b);
    asha.onTrialResult(a, { ...result(a, 1, 0), metrics: { acc: 0.9 } });
    expect(asha.onTrialResult(b, { ...result(b, 1, 0), metrics: { acc: 0.5 } }).kind).toBe("stop");
  });

  it("promotion: pauses at a rung, then promotes the best not-yet-promoted trial of the highest eligible rung", () => {
    const asha = new ASHAScheduler({ metric: "loss", mode: "min", type: "promotion", reductionFactor: 2, maxT: 10, gracePeriod: 1 });
    asha.setContext(context);
    const t = [0, 1, 2, 3].map((i) => view(i));
    t.forEach((x) => asha.onTrialAdd(x));
    // One trial at rung 1: floor(1/2) = 0 may leave, so it pauses.
    expect(asha.onTrialResult(t[0] as TrialView, result(t[0] as TrialView, 1, 3)).kind).toBe("pause");
    // A second, better one: floor(2/2) = 1 may leave and the best is itself: it goes on without a pause.
    expect(asha.onTrialResult(t[1] as TrialView, result(t[1] as TrialView, 1, 1)).kind).toBe("continue");
    // A third, worse: the top-1 (t1) is already promoted, so it pauses.
    expect(asha.onTrialResult(t[2] as TrialView, result(t[2] as TrialView, 1, 4)).kind).toBe("pause");
    // A fourth: floor(4/2) = 2 may leave; the second best (t0, loss 3) is promoted when a worker frees.
    expect(asha.onTrialResult(t[3] as TrialView, result(t[3] as TrialView, 1, 5)).kind).toBe("pause");
    const paused = [view(0, "PAUSED"), view(2, "PAUSED"), view(3, "PAUSED")];
    expect(asha.chooseTrialToRun(paused)?.id).toBe("t0");
    // Nothing else may leave rung 1 now: a new trial is wanted.
    expect(asha.chooseTrialToRun(paused.slice(1))).toBeUndefined();
    expect(asha.rungs()[0]?.[0]?.promoted).toEqual(["t1", "t0"]);
    // A fresh trial (PENDING, not at a rung) always runs first.
    expect(asha.chooseTrialToRun([...paused.slice(1), view(4, "PENDING")])?.id).toBe("t4");
  });

  it("promotion: prefers the highest rung", () => {
    const asha = new ASHAScheduler({ metric: "loss", mode: "min", type: "promotion", reductionFactor: 2, maxT: 10 });
    const t = [0, 1, 2, 3, 4].map((i) => view(i));
    t.forEach((x) => asha.onTrialAdd(x));
    // t0 and t1 reach rung 1; t0 is promoted (best), reaches rung 2 (milestone 2) and pauses there.
    asha.onTrialResult(t[1] as TrialView, result(t[1] as TrialView, 1, 5));
    expect(asha.onTrialResult(t[0] as TrialView, result(t[0] as TrialView, 1, 1)).kind).toBe("continue");
    expect(asha.onTrialResult(t[0] as TrialView, result(t[0] as TrialView, 2, 1)).kind).toBe("pause");
    // t2 reaches rung 2 as well (after being promoted out of rung 1 with t3 around)...
    asha.onTrialResult(t[3] as TrialView, result(t[3] as TrialView, 1, 6));
    expect(asha.onTrialResult(t[2] as TrialView, result(t[2] as TrialView, 1, 2)).kind).toBe("continue");
    // ...worse than t0 at rung 2: floor(2/2) = 1 leaves rung 2 and that is t0, while rung 1 could still promote t1.
    expect(asha.onTrialResult(t[2] as TrialView, result(t[2] as TrialView, 2, 3)).kind).toBe("pause");
    const choice = asha.chooseTrialToRun([view(0, "PAUSED"), view(1, "PAUSED"), view(2, "PAUSED"), view(3, "PAUSED")]);
    expect(choice?.id).toBe("t0");
  });

  it("is deterministic under a seed and reaches the best config with far fewer GPU-seconds than FIFO", () => {
    const bench = benchmarkByName("hartmann6");
    const go = (scheduler?: ASHAScheduler) =>
      simulate({ objective: bench.objective, space: bench.space, metric: "loss", mode: "min", trials: 64, cluster: { gpus: 8 }, seed: 2, ...(scheduler ? { scheduler } : {}) });
    const mk = (type: "stopping" | "promotion") => new ASHAScheduler({ metric: "loss", mode: "min", type, brackets: 2, seed: 2 });
    for (const type of ["stopping", "promotion"] as const) {
      const a = go(mk(type));
      const b = go(mk(type));
      expect(a.trials.map((t) => t.history.length)).toEqual(b.trials.map((t) => t.history.length));
      expect(a.summary.gpuSeconds).toBeLessThan(go().summary.gpuSeconds / 4);
    }
  });

  it("records the result that ended a trial (a stopper, the objective's done) at its rung, as Ray does", () => {
    const asha = new ASHAScheduler({ metric: "loss", mode: "min", reductionFactor: 2, maxT: 100 });
    const run = runScripted({ scheduler: asha, trials: 3, workers: 3, seed: 9, maxIterations: 2 });
    expect(run.loop.trials.every((t) => t.lastResult?.iteration === 2 || t.status === "TERMINATED")).toBe(true);
    expect(asha.rungs()[0]?.[1]?.entries.length).toBeGreaterThan(0);
  });
});
