import { describe, expect, it } from "vitest";
import { ASHAScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import type { Objective } from "../../core/contracts/index.ts";
import { OptionError } from "../../core/errors/index.ts";
import { uniform } from "../../core/space/index.ts";
import { tune } from "../../real-backend/index.ts";
import { simulate } from "../../simulator/index.ts";
import { countingObjective, countingSpace } from "../_helpers/objectives.ts";

const space = { x: uniform(0, 1) };

function objective(name: string, step: Objective<{ t: number }>["step"]): Objective<{ t: number }> {
  return { name, metrics: ["loss"], init: () => ({ t: 0 }), step };
}

function errorsOf(o: Objective<{ t: number }>, extra: Record<string, unknown> = {}) {
  const run = simulate({ objective: o, space, metric: "loss", mode: "min", trials: 2, maxIterations: 3, ...extra });
  expect(run.summary.trialStates.ERROR).toBe(2);
  return run.trials.map((t) => t.errorMessage);
}

describe("a metric that no result reports", () => {
  it("fails the experiment at the first result, naming the metric and what was reported", () => {
    const run = () =>
      simulate({
        objective: countingObjective,
        space: countingSpace,
        metric: "loss",
        mode: "min",
        trials: 4,
        scheduler: new ASHAScheduler({ metric: "acc", mode: "max", maxT: 10 }),
        searcher: new RandomSearch(countingSpace, { metric: "loss", mode: "min", seed: 0 }),
      });
    expect(run).toThrow(OptionError);
    expect(run).toThrow(/^ASHAScheduler\.metric: the scheduler ranks by "acc", but the first result \(trial t0000\d, iteration 1\) reports only "loss"$/);
  });

  it("names a searcher's metric too", () => {
    const run = () =>
      simulate({ objective: countingObjective, space: countingSpace, metric: "loss", mode: "min", trials: 2, searcher: new RandomSearch(countingSpace, { metric: "acc", mode: "max", seed: 0 }) });
    expect(run).toThrow('RandomSearch.metric: the searcher ranks by "acc", but the first result');
  });
});

describe("errors from user code name the objective and what it broke", () => {
  it("a step that returns undefined", () => {
    const broken = objective("forgets-return", (() => undefined) as never);
    for (const message of errorsOf(broken)) {
      expect(message).toMatch(/^objective "forgets-return": step for trial t0000\d returned undefined; it must return \{ metrics, seconds, state \}$/);
    }
  });

  it("a state that cannot be cloned fails its trial instead of aborting simulate()", () => {
    const unclonable = objective("keeps-a-function", (state) => ({ metrics: { loss: 1 }, seconds: 1, state: { t: state.t + 1, callback: () => 1 } as never }));
    for (const message of errorsOf(unclonable, { checkpointFrequency: 1 })) {
      expect(message).toMatch(/^objective "keeps-a-function": the state of trial t0000\d cannot be copied for a checkpoint \(.+\); keep functions/);
    }
  });

  it("a metric that is a string", () => {
    const stringly = objective("stringly", (state) => ({ metrics: { loss: "0.5" as never }, seconds: 1, state: { t: state.t + 1 } }));
    for (const message of errorsOf(stringly)) {
      expect(message).toMatch(/^trial t0000\d: objective "stringly" reported metric "loss" is the string "0.5", not a number at iteration 1$/);
    }
  });

  it("tune(): a trainable whose step returns undefined", async () => {
    const run = await tune({ trainable: objective("forgets-return", (() => undefined) as never), space, metric: "loss", mode: "min", trials: 1, maxIterations: 2 });
    expect(run.trials[0]?.status).toBe("ERROR");
    expect(run.trials[0]?.errorMessage).toBe('trainable "forgets-return": step for trial t00000 returned undefined; it must return { metrics, state }');
  });
});

describe("tune() keeps the stack of a trial's error in the trial's record", () => {
  it("errorStack holds the trainable's own stack frames", async () => {
    function loadBatch(): never {
      throw new RangeError("batch index 7 out of range");
    }
    const crashing = objective("crashing", () => loadBatch());
    const run = await tune({ trainable: crashing, space, metric: "loss", mode: "min", trials: 1, maxIterations: 2 });
    const trial = run.trials[0]!;
    expect(trial.status).toBe("ERROR");
    expect(trial.errorMessage).toContain("batch index 7 out of range");
    expect(trial.errorStack).toMatch(/^RangeError: batch index 7 out of range\n\s+at loadBatch /);
    // And it survives a save and restore of the experiment state.
    const saved = JSON.parse(JSON.stringify(run.loop.save())) as { trials: Array<{ errorStack?: string | null }> };
    expect(saved.trials[0]?.errorStack).toBe(trial.errorStack);
  });
});
