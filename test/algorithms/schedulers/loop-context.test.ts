import { describe, expect, it } from "vitest";
import { FIFOScheduler } from "../../../algorithms/schedulers/index.ts";
import type { Config, Decision, Result, Searcher, SchedulerContext, TrialView } from "../../../core/contracts/index.ts";
import { CONTINUE, PAUSE, STOP } from "../../../core/contracts/index.ts";
import { runScripted, ScriptedExecutor } from "../../../testing/index.ts";
import { TuneLoop } from "../../../core/tune-loop.ts";

// Tests of the three small tune-loop changes this issue needed (core/tune-loop.ts, core/contracts/scheduler.ts).
describe("TuneLoop and schedulers", () => {
  it("asks chooseTrialToRun only when a chosen trial can start (a dropped choice made ASHA over-promote)", () => {
    let executor: ScriptedExecutor | undefined;
    class PauseEveryResult extends FIFOScheduler {
      calls = 0;
      override onTrialResult(): Decision {
        return PAUSE;
      }
      override chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
        this.calls++;
        expect(executor?.canPlace({ cpu: 1, gpu: 0 })).toBe(true);
        return super.chooseTrialToRun(candidates);
      }
    }
    const scheduler = new PauseEveryResult();
    const originalCtor = ScriptedExecutor.prototype.setListener;
    ScriptedExecutor.prototype.setListener = function (this: ScriptedExecutor, l) {
      executor = this;
      originalCtor.call(this, l);
    };
    try {
      runScripted({ scheduler, trials: 6, workers: 2, seed: 1, maxIterations: 4 });
    } finally {
      ScriptedExecutor.prototype.setListener = originalCtor;
    }
    expect(scheduler.calls).toBeGreaterThan(6);
  });

  it("moreTrialsPossible turns false with the trial budget, and stopWaiting ends a paused trial at once", () => {
    const seen: boolean[] = [];
    let context: SchedulerContext | undefined;
    const completed: string[] = [];
    class HoldFirst extends FIFOScheduler {
      override setContext(c: SchedulerContext): void {
        context = c;
      }
      override onTrialResult(trial: TrialView, result: Result): Decision {
        if (trial.index === 0 && result.iteration === 1) return PAUSE;
        if (trial.index === 1 && result.iteration === 2) {
          context?.stopWaiting?.("t00000");
          return STOP;
        }
        return result.iteration >= 3 ? STOP : CONTINUE;
      }
      override onTrialComplete(trial: TrialView): void {
        completed.push(trial.id);
      }
      override chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
        seen.push(context?.moreTrialsPossible?.() ?? true);
        return candidates.find((t) => t.status === "PENDING");
      }
    }
    const run = runScripted({ scheduler: new HoldFirst(), trials: 3, workers: 1, seed: 2 });
    expect(seen[0]).toBe(true);
    expect(seen[seen.length - 1]).toBe(false);
    expect(completed[0]).toBe("t00000");
    expect(run.loop.trials[0]?.status).toBe("TERMINATED");
    expect(run.loop.trials[0]?.history).toHaveLength(1);
  });

  it("asks the scheduler once more after the searcher says done, so it can resume what it held back", () => {
    let n = 0;
    const searcher: Searcher = {
      suggest: (): Config | "done" => (n++ < 2 ? { x: n } : "done"),
      onTrialComplete: () => {},
      save: () => null,
      restore: () => {},
    };
    let context: SchedulerContext | undefined;
    class HoldUntilDone extends FIFOScheduler {
      override setContext(c: SchedulerContext): void {
        context = c;
      }
      override onTrialResult(_t: TrialView, result: Result): Decision {
        return result.iteration === 1 ? PAUSE : STOP;
      }
      override chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
        const pending = candidates.find((t) => t.status === "PENDING");
        if (pending) return pending;
        return context?.moreTrialsPossible?.() === false ? candidates[0] : undefined;
      }
    }
    const executor = new ScriptedExecutor({ workers: 1, metricAt: () => 1 });
    const loop = new TuneLoop({ searcher, scheduler: new HoldUntilDone(), executor, metric: "loss", mode: "min", trials: 10 });
    loop.begin();
    executor.run(() => loop.finished);
    expect(loop.trials.map((t) => t.history.length)).toEqual([2, 2]);
  });
});
