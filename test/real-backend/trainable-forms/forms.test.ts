import { describe, expect, it } from "vitest";
import { rngFor } from "../../../core/rng.ts";
import { runnerFor, type TrialSession } from "../../../real-backend/trainable-forms/forms.ts";
import { Counter, countFn, halfObject, NoStep, notATrainable } from "../process/fixtures/forms.ts";
import { quadratic } from "../process/fixtures/learners.ts";

const context = () => ({ trialId: "t0", rng: rngFor(1, "trial", "t0") });

describe("runnerFor: which trainable form an export is", () => {
  it.each([
    [notATrainable, /^x is a number; expected a trainable object \{init, step\}, a class with setup\/step, or an async function \(config, session\)$/],
    [null, /^x is null; expected/],
    [[1, 2], /^x is an array; expected/],
    [halfObject, /^x is an object without step functions; a trainable object needs init\(config, rng\) and step\(state, config, context\)$/],
    [{}, /^x is an object without init and step functions/],
    [NoStep, /^x is a class without a step\(\) method; a class trainable needs setup\(config\) and step\(\)$/],
    [class { step() {} }, /^x is a class without setup\(config\)/],
    [class { setup() {} step() {} save() {} }, /^x: save\(dir\) and load\(dir\) go together/],
    [{ ...quadratic, saveCheckpoint: () => {} }, /^x: saveCheckpoint and loadCheckpoint go together/],
  ])("refuses %o with one line", (exported, message) => {
    expect(() => runnerFor(exported, "x")).toThrow(message);
  });

  it("object form: begin, steps with 1-based iterations and the trial's stream", async () => {
    const r = runnerFor(quadratic, "x");
    expect(r.reusable).toBe(true);
    await r.begin({ lr: 0.3 }, context(), null);
    const first = await r.step(1);
    const second = await r.step(2);
    const rng = rngFor(1, "trial", "t0");
    expect(first.metrics["loss"]).toBeCloseTo(1 + rng.next() * 1e-3, 12);
    expect(second).toEqual({ metrics: { loss: 0.5 + rng.next() * 1e-3, iter: 2 }, done: false });
  });

  it("class form is reusable only with reset(config)", () => {
    expect(runnerFor(Counter, "x").reusable).toBe(false);
    expect(runnerFor(class extends Counter { reset() { return true; } }, "x").reusable).toBe(true);
  });

  it("function form: a stop at a report ends the function there (report rejects, later code never runs)", async () => {
    let after = 0;
    const fn = async (_c: unknown, session: TrialSession) => {
      await session.report({ x: 1 });
      after++;
      await session.report({ x: 2 });
      after++;
    };
    const r = runnerFor(fn, "x");
    await r.begin({}, context(), null);
    expect(await r.step(1)).toEqual({ metrics: { x: 1 }, done: false });
    r.end();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(after).toBe(0);
    // A new trial on the same runner starts the function afresh.
    await r.begin({}, context(), null);
    expect(await r.step(1)).toEqual({ metrics: { x: 1 }, done: false });
    expect(await r.step(2)).toEqual({ metrics: { x: 2 }, done: false });
    expect(await r.step(3)).toEqual({ metrics: { x: 2 }, done: true });
    await expect(r.save("/nonexistent")).rejects.toThrow(/latest session\.report\(\.\.\.\) carried no checkpoint/);
  });

  it("function form: returning without any report, or throwing, fails the step", async () => {
    const silent = runnerFor(async () => {}, "x");
    await silent.begin({}, context(), null);
    await expect(silent.step(1)).rejects.toThrow("the trainable function returned without reporting any result");
    const throws = runnerFor(async () => {
      throw new Error("CUDA out of memory");
    }, "x");
    await throws.begin({}, context(), null);
    await expect(throws.step(1)).rejects.toThrow("CUDA out of memory");
    expect(countFn.length).toBe(2);
  });
});
