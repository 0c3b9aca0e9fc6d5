import { describe, expect, it } from "vitest";
import { FIFOScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { CONTINUE, OptionError, STOP } from "../../core/contracts/index.ts";
import type { Decision, Objective, Result, SchedulerContext, TrialView } from "../../core/contracts/index.ts";
import { memoryTrace } from "../../core/trace.ts";
import { TuneLoop } from "../../core/tune-loop.ts";
import { resolveCluster, SimExecutor, simulate } from "../../simulator/index.ts";
import { countingObjective, countingSpace, type CountingState } from "../_helpers/objectives.ts";

const base = { space: countingSpace, metric: "loss", mode: "min" as const };

/** Fails (throws) once per trial at `failAt`, remembering which trials already failed. */
function flakyObjective(failAt: number): Objective<CountingState> {
  const failed = new Set<number>();
  return {
    ...countingObjective,
    name: "flaky",
    step: (state, config, ctx) => {
      const key = config["x"] as number;
      if (ctx.iteration === failAt && !failed.has(key)) {
        failed.add(key);
        throw new Error("CUDA error: an illegal memory access");
      }
      return countingObjective.step(state, config, ctx);
    },
  };
}

describe("TuneLoop", () => {
  it("ends a trial whose metric is NaN in ERROR, with a message naming trial, metric and iteration", () => {
    const nanAt3: Objective<CountingState> = {
      ...countingObjective,
      step: (s, c, ctx) => {
        const out = countingObjective.step(s, c, ctx);
        return ctx.iteration === 3 ? { ...out, metrics: { loss: Number.NaN } } : out;
      },
    };
    const { trace, lines } = memoryTrace();
    const run = simulate({ ...base, objective: nanAt3, trials: 2, maxIterations: 5, trace: (l) => lines.push(l) });
    void trace;
    expect(run.summary.trialStates.ERROR).toBe(2);
    expect(lines.join("")).toContain('"reason":"trial t00000: objective \\"counting\\" reported metric \\"loss\\" is NaN at iteration 3"');
    expect(run.trials[0]?.history).toHaveLength(2); // the NaN result is never recorded as a value
  });

  it("rejects a result that lacks the metric", () => {
    const wrong: Objective<CountingState> = {
      ...countingObjective,
      step: (s, c, ctx) => ({ ...countingObjective.step(s, c, ctx), metrics: { accuracy: 0.5 } }),
    };
    const run = simulate({ ...base, objective: wrong, trials: 1, maxIterations: 5 });
    expect(run.trials[0]?.status).toBe("ERROR");
  });

  it("restores a failed trial from its latest checkpoint until maxFailures is spent", () => {
    const run = simulate({ ...base, objective: flakyObjective(6), trials: 3, maxIterations: 10, checkpointFrequency: 4, maxFailures: 1 });
    for (const t of run.trials) {
      expect(t.status).toBe("TERMINATED");
      expect(t.history.map((r) => r.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    // Each trial failed computing iteration 6 after reporting 5: iteration 5 is re-done from the checkpoint at 4.
    expect(run.summary.failures).toBe(3);
    expect(run.summary.redoneIterations).toBe(3);
  });

  it("ends a failing trial in ERROR when maxFailures is 0, and the searcher hears error=true", () => {
    const searcher = new RandomSearch(countingSpace, { metric: "loss", mode: "min" });
    const completions: Array<[string, boolean | undefined]> = [];
    const original = searcher.onTrialComplete.bind(searcher);
    searcher.onTrialComplete = (id, last, error) => {
      completions.push([id, error]);
      original(id, last, error);
    };
    const run = simulate({ ...base, objective: flakyObjective(2), trials: 2, maxIterations: 5, searcher });
    expect(run.summary.trialStates.ERROR).toBe(2);
    expect(completions.sort()).toEqual([
      ["t00000", true],
      ["t00001", true],
    ]);
  });

  it("a decision to stop waits for the checkpoint-at-end save, then the trial is TERMINATED with that checkpoint", () => {
    const run = simulate({ ...base, objective: countingObjective, trials: 2, maxIterations: 7, checkpointAtEnd: true });
    for (const t of run.trials) {
      expect(t.status).toBe("TERMINATED");
      expect(t.latestCheckpoint?.iteration).toBe(7);
    }
    expect(run.summary.checkpoints).toBe(2);
  });

  it("an exploit waits for the donor's pending save and restores exactly the donor's checkpointed state", () => {
    class ExploitOnce extends FIFOScheduler {
      private ctx: SchedulerContext | undefined;
      exploitedAt = -1;
      override setContext(ctx: SchedulerContext): void {
        this.ctx = ctx;
      }
      override onTrialResult(trial: TrialView, result: Result): Decision {
        // t00000 is the donor; it is asked for a checkpoint at iteration 3 and t00001 exploits it at once.
        if (trial.id === "t00000" && result.iteration === 2) this.ctx?.requestCheckpoint("t00000");
        if (trial.id === "t00001" && result.iteration === 4 && this.exploitedAt < 0) {
          this.exploitedAt = result.time;
          return { kind: "exploit", from: "t00000", config: { x: 0.5 } };
        }
        return CONTINUE;
      }
    }
    const lines: string[] = [];
    const run = simulate({
      ...base,
      objective: countingObjective,
      trials: 2,
      maxIterations: 8,
      scheduler: new ExploitOnce(),
      cluster: { gpus: 2, checkpointSeconds: 50 },
      trace: (l) => lines.push(l),
    });
    const events = lines.map((l) => JSON.parse(l) as { type: string; t: number; trial?: string; iteration?: number; from?: string });
    const saved = events.find((e) => e.type === "checkpoint" && e.trial === "t00000");
    const exploit = events.find((e) => e.type === "exploit");
    expect(saved).toBeDefined();
    expect(exploit).toMatchObject({ trial: "t00001", from: "t00000", iteration: saved?.iteration });
    expect(exploit!.t).toBeGreaterThanOrEqual(saved!.t);
    const clone = run.trials[1]!;
    expect(clone.config).toEqual({ x: 0.5 });
    // After the exploit, the clone continues from the donor's iteration count.
    const after = clone.history.filter((r) => r.time > exploit!.t).map((r) => r.iteration);
    expect(after[0]).toBe((saved!.iteration ?? 0) + 1);
  });

  it("a failure after an exploit restarts from the exploited checkpoint and keeps the results reported before the exploit", () => {
    class ExploitAt6 extends FIFOScheduler {
      private ctx: SchedulerContext | undefined;
      private done = false;
      override setContext(ctx: SchedulerContext): void {
        this.ctx = ctx;
      }
      override onTrialResult(trial: TrialView, result: Result): Decision {
        if (trial.id === "t00000" && result.iteration === 2) this.ctx?.requestCheckpoint("t00000");
        if (trial.id === "t00001" && result.iteration === 6 && !this.done) {
          this.done = true;
          return { kind: "exploit", from: "t00000", config: { x: 0.25 } };
        }
        return CONTINUE;
      }
    }
    // The clone (x = 0.25) fails once, two steps after the exploit.
    let failed = false;
    const failsOnce: Objective<CountingState> = {
      ...countingObjective,
      step: (state, config, ctx) => {
        if (config["x"] === 0.25 && state.t === 5 && !failed) {
          failed = true;
          throw new Error("out of memory");
        }
        return countingObjective.step(state, config, ctx);
      },
    };
    const run = simulate({ ...base, objective: failsOnce, trials: 2, maxIterations: 9, maxFailures: 1, scheduler: new ExploitAt6(), cluster: { gpus: 2 } });
    const clone = run.trials[1]!;
    expect(failed).toBe(true);
    expect(clone.status).toBe("TERMINATED");
    // 1..6 before the exploit (kept through the failure), then on from the donor's checkpoint at 2:
    // 3, 4, 5 were reported, lost with the failure computing 6, and re-done from that checkpoint.
    expect(clone.history.map((r) => r.iteration)).toEqual([1, 2, 3, 4, 5, 6, 3, 4, 5, 6, 7, 8, 9]);
    expect(run.summary.redoneIterations).toBe(3);
  });

  it("checks options eagerly and names the option", () => {
    const executor = new SimExecutor({ objective: countingObjective, cluster: resolveCluster({ gpus: 1 }), seed: 0 });
    const make = (extra: object) =>
      new TuneLoop({
        searcher: new RandomSearch(countingSpace, { metric: "loss", mode: "min" }),
        scheduler: new FIFOScheduler(),
        executor,
        metric: "loss",
        mode: "min",
        trials: 3,
        ...extra,
      });
    expect(() => make({ trials: 0 })).toThrow("trials: must be an integer >= 1, got 0");
    expect(() => make({ mode: "up" })).toThrow('tune.mode: must be "min" or "max", got "up"');
    expect(() => make({ maxFailures: -2 })).toThrow("maxFailures: must be an integer >= -1, got -2");
    expect(() => make({ resources: { cpu: 1, gpu: 2 } })).toThrow(OptionError);
    expect(() => make({ resources: { cpu: 1, gpu: 2 } })).toThrow("resources: no node of the cluster fits a trial needing cpu=1 gpu=2");
    expect(() => simulate({ ...base, objective: countingObjective, metric: "acc", trials: 1 })).toThrow(
      'metric: "acc" is not reported by objective counting (reports: loss)',
    );
  });

  it("a stopper that stops everything ends running and waiting trials as TERMINATED", () => {
    const stopAll = { shouldStopTrial: () => false, shouldStopAll: (now: number) => now > 20, save: () => null, restore: () => {} };
    const run = simulate({ ...base, objective: countingObjective, trials: 30, cluster: { gpus: 2 }, stoppers: [stopAll] });
    expect(run.summary.trialStates.TERMINATED).toBe(run.trials.length);
    expect(run.summary.simulatedSeconds).toBeLessThan(30);
    expect(run.trials.length).toBeLessThan(30);
  });

  it("a scheduler's STOP ends the trial and the next one starts", () => {
    class StopAt3 extends FIFOScheduler {
      override onTrialResult(_t: TrialView, r: Result): Decision {
        return r.iteration >= 3 ? STOP : CONTINUE;
      }
    }
    const run = simulate({ ...base, objective: countingObjective, trials: 5, scheduler: new StopAt3(), cluster: { gpus: 1 } });
    expect(run.trials.map((t) => t.history.length)).toEqual([3, 3, 3, 3, 3]);
    expect(run.summary.actorReuses).toBe(4); // one actor start, reused by the four trials after it
  });
});
