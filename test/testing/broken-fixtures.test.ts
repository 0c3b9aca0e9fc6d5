import { describe, expect, it } from "vitest";
import { atMostFractionLeaveRung, CheckFailure, checkScheduler, checkSchedulerCase, type CheckSchedulerOptions, type SchedulerCase, type SchedulerFactory } from "../../testing/index.ts";
import { ASHAScheduler } from "../../algorithms/schedulers/index.ts";
import { ASHA_MILESTONES, ForgetfulSaveScheduler, OverPromotingASHA, UnsavedDonorPBT } from "./fixtures/broken-schedulers.ts";

/** Runs the kit, which must throw; returns its CheckFailure. */
function failureOf(factory: SchedulerFactory, options: CheckSchedulerOptions = {}): CheckFailure {
  try {
    checkScheduler(factory, options);
  } catch (e) {
    expect(e).toBeInstanceOf(CheckFailure);
    return e as CheckFailure;
  }
  throw new Error("checkScheduler passed a broken scheduler");
}

/** Small: a few trials and a few scripted events, so a person can follow it by hand. */
function expectSmall(f: CheckFailure): void {
  const c = f.counterexample as SchedulerCase;
  expect(c.trials).toBeLessThanOrEqual(4);
  expect(c.script.length).toBeLessThanOrEqual(8);
  expect(c.swapAt.length).toBeLessThanOrEqual(1);
}

/** What a user does with the printed line: rerun exactly that case. */
function replayOf(f: CheckFailure, factory: SchedulerFactory, options: CheckSchedulerOptions = {}): CheckFailure {
  const m = /Replay exactly this case: checkScheduler\(factory, \{ seed: (-?\d+), path: "([\d:]*)" \}\)/.exec(f.message);
  expect(m).not.toBeNull();
  return failureOf(factory, { ...options, seed: Number(m?.[1]), path: m?.[2] as string });
}

const rung = { invariants: { "at most floor(n/rf) leave a rung": atMostFractionLeaveRung({ milestones: ASHA_MILESTONES, reductionFactor: 2 }) } };

describe("the kit catches deliberately broken schedulers with a small counterexample", () => {
  it("the real ASHA (promotion) keeps the rung invariant the over-promoting one breaks", () => {
    const report = checkScheduler((p) => new ASHAScheduler({ ...p, type: "promotion", maxT: 12, gracePeriod: 1, reductionFactor: 2 }), rung);
    expect(report.properties).toContain("invariant: at most floor(n/rf) leave a rung");
  });

  it("an ASHA that over-promotes breaks the declared rung invariant", () => {
    const f = failureOf((p) => new OverPromotingASHA(p), rung);
    expect(f.property).toBe("invariant: at most floor(n/rf) leave a rung");
    expect(f.violation).toMatch(/left the rung at \d+, which \d+ reached: at most floor\(\d+\/2\) = \d+ may/);
    expectSmall(f);
    expect(f.message).toContain("scheduler trace");
    const again = replayOf(f, (p) => new OverPromotingASHA(p), rung);
    expect(again.violation).toBe(f.violation);
    expect(again.counterexample).toEqual(f.counterexample);
  });

  it("a PBT that exploits a donor it never asked to save breaks 'legal decisions'", () => {
    // Without failures: a failure can also lose a donor's checkpoint (see pbt-findings.test.ts); here only the fixture's bug can.
    const options = { mustFinish: false, failures: false };
    const f = failureOf((p) => new UnsavedDonorPBT(p), options);
    expect(f.property).toBe("legal decisions");
    expect(f.violation).toMatch(/exploits t\d+ \(RUNNING\), which has no checkpoint and was never asked to save one/);
    expectSmall(f);
    const again = replayOf(f, (p) => new UnsavedDonorPBT(p), options);
    expect(again.violation).toBe(f.violation);
    expect(again.counterexample).toEqual(f.counterexample);
  });

  it("a scheduler whose save() drops state breaks 'save/restore', and the failure shows the first diverging call", () => {
    const f = failureOf((p) => new ForgetfulSaveScheduler(p));
    expect(f.property).toBe("save/restore");
    expect(f.violation).toMatch(/a run restored from save\(\) before calls \[\d+\] differs at call \d+: expected ".* -> stop", got ".* -> continue"/);
    expectSmall(f);
    const again = replayOf(f, (p) => new ForgetfulSaveScheduler(p));
    expect(again.violation).toBe(f.violation);
    expect(again.counterexample).toEqual(f.counterexample);
  });

  it("the replay reruns only the printed case: one case, not a new search", () => {
    const f = failureOf((p) => new ForgetfulSaveScheduler(p));
    const again = replayOf(f, (p) => new ForgetfulSaveScheduler(p));
    expect(again.casesRun).toBe(1);
  });

  it("the printed case, pasted into checkSchedulerCase, fails the same way (a regression test)", () => {
    const f = failureOf((p) => new ForgetfulSaveScheduler(p));
    const m = /as a regression test: checkSchedulerCase\(factory, (\{.*\})\)/.exec(f.message);
    expect(m).not.toBeNull();
    const c = JSON.parse(m?.[1] as string) as SchedulerCase;
    expect(c).toEqual(f.counterexample);
    let again: unknown;
    try {
      checkSchedulerCase((p) => new ForgetfulSaveScheduler(p), c);
    } catch (e) {
      again = e;
    }
    expect(again).toBeInstanceOf(CheckFailure);
    expect((again as CheckFailure).violation).toBe(f.violation);
  });
});
