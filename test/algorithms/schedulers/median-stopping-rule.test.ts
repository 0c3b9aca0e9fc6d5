import { describe, expect, it } from "vitest";
import { MedianStoppingRule } from "../../../algorithms/schedulers/index.ts";
import type { Result, SchedulerContext, TrialView } from "../../../core/contracts/index.ts";
import { runScripted } from "../../../testing/index.ts";

/** Mutable trial views whose history the test appends to, like the loop does. */
interface FakeTrial extends TrialView {
  history: Result[];
  status: TrialView["status"];
}

function fake(index: number): FakeTrial {
  return {
    id: `t${index}`,
    index,
    status: "RUNNING",
    config: {},
    resources: { cpu: 1, gpu: 1 },
    history: [],
    get lastResult() {
      return this.history[this.history.length - 1];
    },
    latestCheckpoint: undefined,
    savePending: false,
    errorMessage: undefined,
  } as FakeTrial;
}

function report(rule: MedianStoppingRule, trial: FakeTrial, time: number, reward: number): string {
  const r: Result = { trialId: trial.id, iteration: trial.history.length + 1, metrics: { reward }, time, timeTotal: time };
  trial.history.push(r);
  return rule.onTrialResult(trial, r).kind;
}

function setup(options: Partial<ConstructorParameters<typeof MedianStoppingRule>[0]> = {}) {
  const trials: FakeTrial[] = [];
  let more = false;
  const context: SchedulerContext = {
    now: () => 0,
    trials: () => trials,
    requestCheckpoint: () => {},
    moreTrialsPossible: () => more,
  };
  const rule = new MedianStoppingRule({ metric: "reward", mode: "max", gracePeriod: 0, minSamplesRequired: 1, ...options });
  rule.setContext(context);
  return { rule, trials, setMore: (m: boolean) => (more = m) };
}

describe("MedianStoppingRule", () => {
  it("validates options eagerly and names the option", () => {
    const base = { metric: "loss", mode: "min" as const };
    expect(() => new MedianStoppingRule({ ...base, gracePeriod: -1 })).toThrow("MedianStoppingRule.gracePeriod");
    expect(() => new MedianStoppingRule({ ...base, minSamplesRequired: 0 })).toThrow("MedianStoppingRule.minSamplesRequired: must be an integer >= 1, got 0");
    expect(() => new MedianStoppingRule({ ...base, minTimeSlice: Number.NaN })).toThrow("MedianStoppingRule.minTimeSlice");
    expect(() => new MedianStoppingRule({ ...base, hardStop: "yes" as unknown as boolean })).toThrow("MedianStoppingRule.hardStop");
    expect(() => new MedianStoppingRule({ metric: "loss", mode: "up" as "min" })).toThrow("MedianStoppingRule.mode");
  });

  it("has Ray's defaults", () => {
    const rule = new MedianStoppingRule({ metric: "loss", mode: "min" });
    expect([rule.timeAttr, rule.gracePeriod, rule.minSamplesRequired, rule.minTimeSlice, rule.hardStop]).toEqual(["time_total_s", 60, 3, 0, true]);
  });

  it("stops a trial whose best is worse than the median of the others' running means (Ray's basic case)", () => {
    const { rule, trials } = setup();
    const t1 = fake(1); // rewards 0..900: running mean up to t=9 is 450
    const t2 = fake(2); // rewards 0..450 over t=0..9 at 50 each: mean 225
    trials.push(t1, t2);
    for (let i = 0; i < 10; i++) expect(report(rule, t1, i, i * 100)).toBe("continue");
    for (let i = 0; i < 10; i++) {
      const kind = report(rule, t2, i, i * 50);
      // t2's best so far (50 i) vs t1's running mean up to i (50 i): equal, not worse, until ...
      expect(kind).toBe("continue");
    }
    const t3 = fake(3);
    trials.push(t3);
    // t3 at time 5 with reward 10: the others' means up to t=5 are 250 and 125, median 187.5 > 10.
    expect(report(rule, t3, 5, 10)).toBe("stop");
    expect(rule.hasStopped("t3")).toBe(true);
  });

  it("never stops with fewer than minSamplesRequired comparable trials (those that got as far)", () => {
    const { rule, trials } = setup({ minSamplesRequired: 2 });
    const [a, b, c] = [fake(0), fake(1), fake(2)];
    trials.push(a, b, c);
    report(rule, a, 2, 100);
    report(rule, a, 10, 100);
    report(rule, b, 3, 100); // only got to t = 3: not comparable at t = 5
    expect(report(rule, c, 5, -1)).toBe("continue");
    report(rule, b, 6, 100);
    expect(report(rule, c, 6, -1)).toBe("stop");
  });

  it("honours the grace period: no stop before it, and running means start at it", () => {
    const { rule, trials } = setup({ gracePeriod: 5 });
    const [a, b] = [fake(0), fake(1)];
    trials.push(a, b);
    report(rule, a, 1, -1000); // before grace: not in a's running mean
    report(rule, a, 6, 10);
    expect(report(rule, b, 4, 0)).toBe("continue");
    expect(report(rule, b, 6, 9)).toBe("stop"); // a's mean from t = 5 on is 10 > 9
  });

  it("hardStop false pauses instead; a paused trial resumes only once no new trial will come, then runs on FIFO", () => {
    const { rule, trials, setMore } = setup({ hardStop: false, mode: "min", metric: "reward" });
    const [a, b] = [fake(0), fake(1)];
    trials.push(a, b);
    report(rule, a, 1, 1);
    expect(report(rule, b, 1, 5)).toBe("pause");
    b.status = "PAUSED";
    setMore(true);
    expect(rule.chooseTrialToRun([b])).toBeUndefined();
    setMore(false);
    expect(rule.chooseTrialToRun([b])?.id).toBe("t1");
    b.status = "RUNNING";
    expect(report(rule, b, 2, 50)).toBe("continue");
  });

  it("yields a trial short of samples to waiting or new trials, at most once per minTimeSlice", () => {
    const { rule, trials, setMore } = setup({ minSamplesRequired: 3, minTimeSlice: 10 });
    const a = fake(0);
    trials.push(a);
    setMore(false);
    expect(report(rule, a, 1, 1)).toBe("continue"); // nobody to yield to
    setMore(true);
    expect(report(rule, a, 2, 1)).toBe("pause");
    expect(report(rule, a, 5, 1)).toBe("continue"); // within minTimeSlice of the last yield
    expect(report(rule, a, 13, 1)).toBe("pause");
  });

  it("runs in the loop: some trials stop early, none before the grace period", () => {
    const rule = new MedianStoppingRule({ metric: "loss", mode: "min", timeAttr: "training_iteration", gracePeriod: 3 });
    const run = runScripted({ scheduler: rule, trials: 20, workers: 4, seed: 7, maxIterations: 15 });
    const lengths = run.loop.trials.map((t) => t.history.length);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(3);
    expect(lengths.filter((n) => n < 15).length).toBeGreaterThan(0);
  });
});
