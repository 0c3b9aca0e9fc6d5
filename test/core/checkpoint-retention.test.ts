import { describe, expect, it } from "vitest";
import { PopulationBasedTraining } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { noisyLrScheduleObjective } from "../../benchmarks/objectives/index.ts";
import { CheckpointRetention, checkpointKey, type CheckpointHolder } from "../../core/checkpoint-retention.ts";
import type { CheckpointRef, Json } from "../../core/contracts/index.ts";
import { uniform } from "../../core/space/index.ts";
import { MaximumIterationStopper } from "../../core/stoppers/index.ts";
import { TuneLoop } from "../../core/tune-loop.ts";
import { resolveCluster, SimExecutor, simulate } from "../../simulator/index.ts";

const ref = (trialId: string, iteration: number, handle: unknown = { n: iteration }): CheckpointRef => ({ trialId, iteration, timeTotal: iteration * 2, handle });
const holder = (id: string, latestCheckpoint?: CheckpointRef, restoreFrom?: CheckpointRef): CheckpointHolder => ({ id, latestCheckpoint, restoreFrom });

describe("CheckpointRetention", () => {
  it("keeps every checkpoint when keep is left out", () => {
    const r = new CheckpointRetention(undefined);
    for (let i = 1; i <= 5; i++) r.record(ref("a", i));
    expect(r.collect(holder("a", ref("a", 5)))).toEqual([]);
  });

  it("keeps the newest `keep` of a trial and discards the older ones, oldest first; other trials are untouched", () => {
    const r = new CheckpointRetention(2);
    const a = [1, 2, 3, 4].map((i) => ref("a", i));
    const b = [1, 2, 3].map((i) => ref("b", i));
    for (const c of [...a, ...b]) r.record(c);
    expect(r.collect(holder("a", a[3]))).toEqual([a[0], a[1]]);
    expect(r.keptBy("a")).toEqual([a[2], a[3]]);
    expect(r.keptBy("b")).toEqual(b);
    expect(r.collect(holder("b", b[2]))).toEqual([b[0]]);
    // Nothing more to do until another save.
    expect(r.collect(holder("a", a[3]))).toEqual([]);
  });

  it("pins an old checkpoint another trial cloned until that trial no longer holds it (PBT exploit)", () => {
    const r = new CheckpointRetention(1);
    const donor1 = ref("donor", 4);
    r.record(donor1);
    // The clone restored donor1 and holds it as its latest; the donor saves again.
    const clone = { id: "clone", latestCheckpoint: donor1 as CheckpointRef | undefined, restoreFrom: undefined as CheckpointRef | undefined };
    r.adopt(clone, "donor");
    const donor2 = ref("donor", 6);
    r.record(donor2);
    const donor = holder("donor", donor2);
    expect(r.collect(donor)).toEqual([]);
    expect(r.keptBy("donor")).toEqual([donor1, donor2]);
    // Once the clone has saved weights of its own, donor1 goes.
    const own = ref("clone", 5);
    r.record(own);
    clone.latestCheckpoint = own;
    expect(r.collect(donor)).toEqual([donor1]);
    expect(r.keptBy("donor")).toEqual([donor2]);
  });

  it("pins the checkpoint a paused or failed trial will start from", () => {
    const r = new CheckpointRetention(1);
    const first = ref("a", 1);
    const second = ref("a", 2);
    r.record(first);
    r.record(second);
    expect(r.collect(holder("a", second, first))).toEqual([]);
    expect(r.collect(holder("a", second, undefined))).toEqual([first]);
  });

  it("after a JSON round trip (resume) finds the clones again from the trials and recognises their references", () => {
    const r = new CheckpointRetention(1);
    const old = { ...ref("a", 1, "/ckpt/a/000001"), seq: 1 };
    r.record(old);
    r.record({ ...ref("a", 2, "/ckpt/a/000002"), seq: 2 });
    const back = new CheckpointRetention(1);
    const clone = holder("b", JSON.parse(JSON.stringify(old)) as CheckpointRef);
    back.restore(JSON.parse(JSON.stringify(r.save())) as Json, [clone]);
    expect(back.keptBy("a").map((c) => c.handle)).toEqual(["/ckpt/a/000001", "/ckpt/a/000002"]);
    const a = holder("a", { ...ref("a", 2, "/ckpt/a/000002"), seq: 2 });
    expect(back.collect(a)).toEqual([]);
    const moved = new CheckpointRetention(1);
    moved.restore(JSON.parse(JSON.stringify(r.save())) as Json, [holder("b", ref("b", 7))]);
    expect(moved.collect(a).map((c) => c.handle)).toEqual(["/ckpt/a/000001"]);
  });

  it("without a save number, compares by trial, iteration, time and path", () => {
    const old = ref("a", 1, "/ckpt/a/000001");
    expect(checkpointKey(JSON.parse(JSON.stringify(old)) as CheckpointRef)).toBe(checkpointKey(old));
    expect(checkpointKey(old)).not.toBe(checkpointKey(ref("a", 1, "/elsewhere")));
  });

  it("tells apart two saves of a trial at the same iteration and time by the loop's save number (a re-do after an exploit)", () => {
    const r = new CheckpointRetention(1);
    const before = { ...ref("a", 27), seq: 3 };
    const redone = { ...ref("a", 27), seq: 9 };
    r.record(before);
    r.record(redone);
    expect(checkpointKey(before)).not.toBe(checkpointKey(redone));
    expect(r.collect(holder("a", redone))).toEqual([before]);
  });

  it("names a bad keep", () => {
    expect(() => new CheckpointRetention(0)).toThrow("keepCheckpoints: must be an integer >= 1 (or left out to keep every checkpoint), got 0");
    expect(() => new CheckpointRetention(1.5)).toThrow(/keepCheckpoints: must be an integer >= 1/);
  });
});

describe("retention across a driver crash", () => {
  it("a resumed PBT experiment goes on discarding what the crashed one kept, and never restores a discarded checkpoint", () => {
    const bench = noisyLrScheduleObjective();
    const seed = 5;
    const options = { metric: bench.metric, mode: "max" as const, seed };
    const pbt = () =>
      new PopulationBasedTraining({ ...options, timeAttr: "training_iteration", perturbationInterval: 4, hyperparamMutations: { lr: uniform(0.0001, 0.02) } });
    const executor = new SimExecutor({ objective: bench.objective, cluster: resolveCluster({ gpus: 2 }), seed });
    const loop = new TuneLoop({
      searcher: new RandomSearch(bench.space, options),
      scheduler: pbt(),
      executor,
      ...options,
      trials: 6,
      resources: { cpu: 1, gpu: 1 },
      stoppers: [new MaximumIterationStopper(40)],
      checkpointFrequency: 2,
      keepCheckpoints: 1,
    });
    loop.begin();
    executor.run(() => loop.finished || loop.counters.results >= 80); // the driver "crashes"
    expect(loop.finished).toBe(false);
    const discardedBefore = loop.counters.checkpointsDiscarded;
    expect(discardedBefore).toBeGreaterThan(0);
    const saved = JSON.parse(JSON.stringify(loop.save())) as Json;
    const dropped: string[] = [];
    // The simulator throws if the resumed loop restores a checkpoint it discarded.
    const resumed = simulate({
      objective: bench.objective,
      space: bench.space,
      ...options,
      trials: 6,
      searcher: new RandomSearch(bench.space, options),
      scheduler: pbt(),
      cluster: { gpus: 2 },
      maxIterations: 40,
      checkpointFrequency: 2,
      keepCheckpoints: 1,
      resumeFrom: saved,
      trace: (line) => {
        const e = JSON.parse(line) as { type: string; trial?: string; iteration?: number };
        if (e.type === "checkpoint_discarded") dropped.push(`${e.trial}@${e.iteration}`);
      },
    });
    expect(resumed.trials.every((t) => t.status === "TERMINATED")).toBe(true);
    expect(resumed.summary.checkpointsDiscarded).toBe(discardedBefore + dropped.length);
    // Among the discards after the resume are checkpoints saved before the crash (retention state came back).
    const beforeCrash = new Set(loop.trials.flatMap((t) => (t.latestCheckpoint ? [`${t.latestCheckpoint.trialId}@${t.latestCheckpoint.iteration}`] : [])));
    expect(dropped.some((d) => beforeCrash.has(d))).toBe(true);
  });
});

