/**
 * The allocation sequences of Ray Tune's own tests of ResourceChangingScheduler
 * (python/ray/tune/tests/test_trial_scheduler_resource_changing.py, one bundle
 * per trial): 8 CPUs and 8 GPUs, four running trials, each re-allocated in
 * turn while the others end. Each expected allocation follows from the
 * documented formula (fair share ceil(U / live), capped by increaseByTimes;
 * growth by floor(free / unit); shrink when free < 0).
 */
import { describe, expect, it } from "vitest";
import {
  DistributeResources,
  DistributeResourcesToTopJob,
  ResourceChangingScheduler,
  type ResourceChangingSchedulerOptions,
} from "../../../../algorithms/schedulers/index.ts";
import type { Resources, Result, SchedulerContext, TrialStatus, TrialView } from "../../../../core/contracts/index.ts";

interface FakeTrial {
  id: string;
  index: number;
  status: TrialStatus;
  config: Record<string, never>;
  resources: Resources;
  history: Result[];
  lastResult: Result | undefined;
  latestCheckpoint: undefined;
  savePending: boolean;
  errorMessage: undefined;
}

function harness(options: ResourceChangingSchedulerOptions, base: Resources, cluster: Resources = { cpu: 8, gpu: 8 }) {
  const trials: FakeTrial[] = [1, 2, 3, 4].map((n, index) => ({
    id: `t${n}`,
    index,
    status: "PENDING",
    config: {},
    resources: { ...base },
    history: [],
    lastResult: undefined,
    latestCheckpoint: undefined,
    savePending: false,
    errorMessage: undefined,
  }));
  const context: SchedulerContext = {
    now: () => 0,
    trials: () => trials as unknown as TrialView[],
    requestCheckpoint: () => {},
    clusterResources: () => cluster,
    couldEverPlace: (r) => r.cpu <= cluster.cpu && r.gpu <= cluster.gpu,
    setTrialResources: (id, r) => {
      const t = trials.find((x) => x.id === id) as FakeTrial;
      if (t.status !== "PAUSED" && t.status !== "PENDING") throw new Error(`re-allocated while ${t.status}`);
      t.resources = r;
    },
  };
  const scheduler = new ResourceChangingScheduler(options);
  scheduler.setContext(context);
  for (const t of trials) scheduler.onTrialAdd(t as unknown as TrialView);
  for (const t of trials) t.status = "RUNNING";
  const result = (t: FakeTrial, metric: number): Result => ({ trialId: t.id, iteration: 4, metrics: { metric }, time: 0, timeTotal: 0 });
  /** Ray's _allocateAndAssertNewResources: the trial reports, must pause, and gets `expected` when next chosen. */
  function reallocates(t: FakeTrial, expected: Resources, metric = 1): void {
    const r = result(t, metric);
    t.lastResult = r;
    const decision = scheduler.onTrialResult(t as unknown as TrialView, r);
    expect(decision.kind, `${t.id} should pause to be resized`).toBe("pause");
    t.status = "PAUSED";
    const chosen = scheduler.chooseTrialToRun(trials.filter((x) => x.status === "PAUSED" || x.status === "PENDING") as unknown as TrialView[]);
    expect(chosen?.id).toBe(t.id);
    expect(t.resources).toEqual(expected);
    t.status = "RUNNING";
  }
  function continues(t: FakeTrial, metric: number): void {
    expect(scheduler.onTrialResult(t as unknown as TrialView, result(t, metric)).kind).toBe("continue");
  }
  return { trials: trials as [FakeTrial, FakeTrial, FakeTrial, FakeTrial], reallocates, continues, scheduler };
}

describe("DistributeResources (Ray's uniform allocation, one bundle)", () => {
  it("shares free CPUs evenly as trials end: 2, 2, then 3, 4, 8", () => {
    const { trials: [t1, t2, t3, t4], reallocates } = harness({ resourcesAllocationFunction: new DistributeResources() }, { cpu: 1, gpu: 0 });
    reallocates(t1, { cpu: 2, gpu: 0 });
    reallocates(t2, { cpu: 2, gpu: 0 });
    t4.status = "TERMINATED";
    reallocates(t1, { cpu: 3, gpu: 0 });
    t3.status = "TERMINATED";
    reallocates(t1, { cpu: 4, gpu: 0 });
    t2.status = "TERMINATED";
    reallocates(t1, { cpu: 8, gpu: 0 });
  });

  it("grows by increaseBy units only once a whole unit is free", () => {
    const { trials: [t1, t2, t3, t4], reallocates, continues } = harness(
      { resourcesAllocationFunction: new DistributeResources({ increaseBy: { cpu: 2, gpu: 2 } }) },
      { cpu: 2, gpu: 2 },
    );
    continues(t1, 1); // 4 trials x (2, 2) fill the 8 CPUs and GPUs
    t4.status = "TERMINATED";
    reallocates(t1, { cpu: 4, gpu: 4 });
    t3.status = "TERMINATED";
    reallocates(t2, { cpu: 4, gpu: 4 });
    t2.status = "TERMINATED";
    reallocates(t1, { cpu: 8, gpu: 8 });
  });

  it("caps growth at increaseByTimes units", () => {
    const { trials: [t1, t2, t3, t4], reallocates, continues } = harness(
      { resourcesAllocationFunction: new DistributeResources({ increaseBy: { gpu: 2 }, increaseByTimes: 2 }) },
      { cpu: 1, gpu: 2 },
    );
    continues(t1, 1);
    t4.status = "TERMINATED";
    reallocates(t1, { cpu: 1, gpu: 4 });
    t3.status = "TERMINATED";
    reallocates(t2, { cpu: 1, gpu: 4 });
    t2.status = "TERMINATED";
    // Alone it could take all 8, but 2 units over its base is the cap.
    reallocates(t1, { cpu: 1, gpu: 6 });
  });

  it("takes units back when the free resources are short", () => {
    const { trials: [t1, , , t4], reallocates } = harness(
      { resourcesAllocationFunction: new DistributeResources({ increaseBy: { gpu: 2 } }) },
      { cpu: 1, gpu: 2 },
    );
    t1.resources = { cpu: 1, gpu: 4 };
    t4.status = "PENDING"; // live, still asking for its base
    reallocates(t1, { cpu: 1, gpu: 2 });
  });

  it("keeps reserved resources out of the share", () => {
    const { trials: [t1, , , t4], reallocates } = harness(
      { resourcesAllocationFunction: new DistributeResources({ reserveResources: { cpu: 2 } }) },
      { cpu: 1, gpu: 0 },
    );
    t4.status = "TERMINATED";
    // 6 CPUs to share among 3 trials of 1: share ceil(3/3) = 1, free 3 => 2 CPUs.
    reallocates(t1, { cpu: 2, gpu: 0 });
  });

  it("does nothing before the first iteration, and never asks for more than a node holds", () => {
    const { trials: [t1, t2, t3, t4], scheduler } = harness({ resourcesAllocationFunction: new DistributeResources() }, { cpu: 1, gpu: 1 }, { cpu: 32, gpu: 16 });
    const r0: Result = { trialId: t1.id, iteration: 0, metrics: { metric: 1 }, time: 0, timeTotal: 0 };
    expect(scheduler.onTrialResult(t1 as unknown as TrialView, r0).kind).toBe("continue");
    const alloc = new DistributeResources();
    for (const t of [t2, t3, t4]) t.status = "TERMINATED";
    const wanted = alloc.allocate({
      trial: t1 as unknown as TrialView,
      result: { ...r0, iteration: 1 },
      trials: [t1, t2, t3, t4] as unknown as TrialView[],
      baseResources: { cpu: 1, gpu: 1 },
      clusterResources: { cpu: 32, gpu: 16 },
      couldEverPlace: (r) => r.gpu <= 8 && r.cpu <= 16, // two nodes of 8 GPUs
      metric: undefined,
      mode: undefined,
    });
    expect(wanted).toEqual({ cpu: 1, gpu: 8 });
  });
});

describe("DistributeResourcesToTopJob (Ray's top-job allocation)", () => {
  function prepared(options: ResourceChangingSchedulerOptions, base: Resources) {
    const h = harness(options, base);
    const [t1, t2, t3, t4] = h.trials;
    [1, 0.9, 0.8, 0.7].forEach((m, i) => {
      ([t1, t2, t3, t4][i] as FakeTrial).lastResult = { trialId: `t${i + 1}`, iteration: 3, metrics: { metric: m }, time: 0, timeTotal: 0 };
    });
    return h;
  }

  it("gives every free unit to the best trial; others keep theirs", () => {
    const { trials: [t1, t2, t3, t4], reallocates, continues } = prepared(
      { resourcesAllocationFunction: new DistributeResourcesToTopJob({ metric: "metric", mode: "max" }) },
      { cpu: 1, gpu: 0 },
    );
    continues(t2, 0.9);
    reallocates(t1, { cpu: 5, gpu: 0 });
    continues(t2, 1.1); // its last result still says 0.9: t1 stays the best
    t4.status = "TERMINATED";
    reallocates(t2, { cpu: 2, gpu: 0 }, 1.1);
    t3.status = "TERMINATED";
    reallocates(t1, { cpu: 6, gpu: 0 }, 1.2);
    t2.status = "TERMINATED";
    reallocates(t1, { cpu: 8, gpu: 0 });
  });

  it("with increaseByTimes, the best trial still below the cap grows", () => {
    const { trials: [t1, t2, t3, t4], reallocates, continues } = prepared(
      { resourcesAllocationFunction: new DistributeResourcesToTopJob({ increaseBy: { gpu: 2 }, increaseByTimes: 2, metric: "metric", mode: "max" }) },
      { cpu: 1, gpu: 2 },
    );
    continues(t2, 0.9);
    continues(t1, 1.0);
    t4.status = "TERMINATED";
    reallocates(t1, { cpu: 1, gpu: 4 });
    continues(t2, 1.1);
    t3.status = "TERMINATED";
    reallocates(t2, { cpu: 1, gpu: 4 }, 1.1);
    t2.status = "TERMINATED";
    reallocates(t1, { cpu: 1, gpu: 6 }, 1.2);
  });

  it("takes the metric and mode from the experiment when not given", () => {
    const { trials: [t1], reallocates } = prepared({ resourcesAllocationFunction: new DistributeResourcesToTopJob(), metric: "metric", mode: "max" }, { cpu: 1, gpu: 0 });
    reallocates(t1, { cpu: 5, gpu: 0 });
  });

  it("is refused up front when no one names the metric it ranks by", () => {
    expect(() => new ResourceChangingScheduler({ resourcesAllocationFunction: new DistributeResourcesToTopJob() })).toThrow(/ResourceChangingScheduler.metric: .*ranks trials by a metric/);
  });
});

describe("ResourceChangingScheduler", () => {
  it("passes the base scheduler's stop and pause through untouched", () => {
    const stopper = {
      setContext() {},
      onTrialAdd() {},
      onTrialResult: () => ({ kind: "stop" }) as const,
      onTrialComplete() {},
      onTrialError() {},
      chooseTrialToRun: () => undefined,
      save: () => null,
      restore() {},
    };
    const { trials: [t1], scheduler } = harness({ baseScheduler: stopper }, { cpu: 1, gpu: 0 });
    const r: Result = { trialId: t1.id, iteration: 4, metrics: { metric: 1 }, time: 0, timeTotal: 0 };
    expect(scheduler.onTrialResult(t1 as unknown as TrialView, r).kind).toBe("stop");
  });

  it("with a null allocation function never changes resources", () => {
    const { trials: [t1, , , t4], scheduler } = harness({ resourcesAllocationFunction: null }, { cpu: 1, gpu: 0 });
    t4.status = "TERMINATED";
    const r: Result = { trialId: t1.id, iteration: 4, metrics: { metric: 1 }, time: 0, timeTotal: 0 };
    expect(scheduler.onTrialResult(t1 as unknown as TrialView, r).kind).toBe("continue");
  });

  it("calls a user function with the trial, the live trials and the cluster", () => {
    const seen: string[] = [];
    const { trials: [t1], reallocates } = harness(
      {
        resourcesAllocationFunction: ({ trial, trials, clusterResources, baseResources }) => {
          seen.push(`${trial.id} ${trials.length} ${clusterResources.gpu} ${baseResources.cpu}`);
          return { cpu: 3, gpu: 1 };
        },
      },
      { cpu: 1, gpu: 0 },
    );
    reallocates(t1, { cpu: 3, gpu: 1 });
    expect(seen).toEqual(["t1 4 8 1"]);
  });

  it("keeps a pending re-allocation until the trial's save lands, and survives save/restore", () => {
    const { trials: [t1, , , t4], scheduler } = harness({ resourcesAllocationFunction: new DistributeResources() }, { cpu: 1, gpu: 0 });
    t4.status = "TERMINATED";
    const r: Result = { trialId: t1.id, iteration: 4, metrics: { metric: 1 }, time: 0, timeTotal: 0 };
    expect(scheduler.onTrialResult(t1 as unknown as TrialView, r).kind).toBe("pause");
    // Still RUNNING (saving): not a candidate, not resized.
    scheduler.chooseTrialToRun([]);
    expect(t1.resources).toEqual({ cpu: 1, gpu: 0 });
    const copy = new ResourceChangingScheduler();
    copy.restore(JSON.parse(JSON.stringify(scheduler.save())));
    expect(copy.save()).toEqual(scheduler.save());
  });
});
