import { describe, expect, it } from "vitest";
import type { Json } from "../../core/contracts/index.ts";
import { readExperiment, saveExperiment } from "../../core/experiment-state.ts";
import { invalidMetrics } from "../../core/result-check.ts";
import { Trial } from "../../core/trial.ts";

describe("experiment state", () => {
  it("round-trips trials through JSON in their lifecycle state; after a crash a RUNNING trial restarts PENDING from its checkpoint", () => {
    const t = new Trial("t00000", 0, { lr: 0.1 }, { cpu: 1, gpu: 0.5 });
    t.start();
    t.history.push({ trialId: "t00000", iteration: 1, metrics: { loss: 2 }, time: 1, timeTotal: 1 });
    t.adoptCheckpoint({ trialId: "t00000", iteration: 1, timeTotal: 1, handle: { state: { w: [1, 2] } } });
    t.history.push({ trialId: "t00000", iteration: 2, metrics: { loss: 1 }, time: 2, timeTotal: 2 });
    const counters = { results: 2, redoneIterations: 0, failures: 0, preemptedTrials: 0, checkpoints: 1, checkpointsDiscarded: 0 };
    const retention = { t00000: [{ trialId: "t00000", iteration: 1, timeTotal: 1, handle: "/ckpt/t00000/1" }] };
    t.requestSave();
    const loop = { stoppingAll: false, finished: false, restartsSinceResult: { preempted: 0, failed: 1 }, traceRecords: 7 };
    const snapshot = { searcherDone: false, counters, trials: [t], handoff: null, loop, searcher: { s: 1 }, scheduler: null, stoppers: [], retention, executor: null };
    const json = JSON.parse(JSON.stringify(saveExperiment(snapshot)));
    expect(json.version).toBe(2);
    const back = readExperiment(json);
    const r = back.trials[0]!;
    expect(r.state).toBe("RUNNING/none");
    expect(r.saveRequested).toBe(true);
    expect(back.loop).toEqual(loop);
    r.resumeAfterCrash();
    expect(r.status).toBe("PENDING");
    expect(r.restoreFrom?.iteration).toBe(1);
    expect(r.config).toEqual({ lr: 0.1 });
    expect(r.resources).toEqual({ cpu: 1, gpu: 0.5 });
    expect(r.latestCheckpoint?.handle).toEqual({ state: { w: [1, 2] } });
    expect(r.lastResult?.iteration).toBe(2);
    // The restart re-does iteration 2 only: the checkpoint was taken after the first result.
    expect(r.dropResultsToRedo(true)).toBe(1);
    expect(back.counters).toEqual(counters);
    expect(back.searcher).toEqual({ s: 1 });
    expect(back.retention).toEqual(retention);
  });

  it("reads version 1: statuses kept, no save phase, an exploit wait becomes a pending exploit", () => {
    const counters = { results: 1, redoneIterations: 0, failures: 0, preemptedTrials: 0, checkpoints: 1 };
    const ck = { trialId: "t00001", iteration: 1, timeTotal: 1, handle: "/ck" };
    const trial = (id: string, index: number, status: string, exploitWait: unknown) => ({
      id, index, status, config: { lr: index }, resources: { cpu: 1, gpu: 0 }, history: [], latestCheckpoint: index === 1 ? ck : null,
      historyAtCheckpoint: 0, failures: 0, preemptions: 0, errorMessage: null, exploitWait,
    });
    const old = { version: 1, searcherDone: false, counters, trials: [trial("t00000", 0, "PAUSED", { from: "t00001", config: { lr: 9 } }), trial("t00001", 1, "RUNNING", null)], searcher: null, scheduler: null, stoppers: [] };
    const back = readExperiment(old as unknown as Json);
    expect(back.trials.map((t) => t.state)).toEqual(["PAUSED/none", "RUNNING/none"]);
    expect(back.pendingExploits).toEqual([{ recipient: "t00000", donor: "t00001", config: { lr: 9 } }]);
    expect(back.executor).toBeNull();
    expect(back.loop).toBeNull();
  });

  it("reads a state saved before retention existed: nothing discarded, no retention lists", () => {
    const counters = { results: 0, redoneIterations: 0, failures: 0, preemptedTrials: 0, checkpoints: 0 };
    const old = { version: 1, searcherDone: false, counters, trials: [], searcher: null, scheduler: null, stoppers: [] };
    const back = readExperiment(old);
    expect(back.counters).toEqual({ ...counters, checkpointsDiscarded: 0 });
    expect(back.retention).toBeNull();
  });

  it("refuses a state of an unknown version, naming it", () => {
    expect(() => readExperiment({ version: 99 })).toThrow("experiment state: unknown experiment state version 99; this TuneLab reads versions 1 and 2 (it writes 2)");
    expect(() => readExperiment(null)).toThrow("experiment state: unknown experiment state version undefined");
  });
});

describe("result check", () => {
  it("names a missing metric and a non-finite one", () => {
    const r = (metrics: Record<string, number>) => ({ trialId: "t", iteration: 3, metrics, time: 0, timeTotal: 0 });
    expect(invalidMetrics(r({ loss: 1, acc: 0.5 }), "loss")).toBeUndefined();
    expect(invalidMetrics(r({ acc: 0.5 }), "loss")).toBe('no metric "loss" (it reported: acc)');
    expect(invalidMetrics(r({ loss: 1, acc: Number.POSITIVE_INFINITY }), "loss")).toBe('metric "acc" is Infinity');
  });
});
