import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASHAScheduler, FIFOScheduler } from "../../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import {
  completePrefix,
  cpuToReach,
  EPOCHS,
  fixedSpace,
  measureDir,
  recordedSeeds,
  recordedWallSeconds,
  replayRecording,
  runDir,
} from "../../../benchmarks/fashion-mnist/fixed-budget.ts";
import type { Config, TrialView } from "../../../core/contracts/index.ts";
import { tune } from "../../../real-backend/index.ts";

const SEED = 4;
const TRIALS = 6;
const common = { metric: "accuracy", mode: "max" } as const;

/**
 * A stand-in for the tfjs trainable, on the same space: accuracy rises with the epoch towards a
 * ceiling set by the config, and each step reports the CPU-seconds it "took" (config-dependent), as
 * the real trainable reports `step_cpu_seconds`. Deterministic, so a replay must reproduce it.
 */
const ceiling = (c: Config) => 0.6 + 0.3 * Math.min(1, Math.log10(Number(c["lr"]) / 1e-4) / 2.5) - 0.1 * Number(c["dropout"]);
const stepCpu = (c: Config) => 0.1 + Number(c["hidden"]) / 1000;
const fakeTrainable = {
  name: "fake-fashion-mnist",
  init: () => ({ epoch: 0 }),
  step: (state: { epoch: number }, config: Config) => {
    const epoch = state.epoch + 1;
    return { state: { epoch }, metrics: { accuracy: ceiling(config) * (1 - Math.exp(-epoch / 3)), step_cpu_seconds: stepCpu(config) } };
  },
};

let out: string;
let recording: string;
let live: TrialView[];

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "tunelab-fixed-budget-"));
  recording = runDir(out, "fifo", SEED);
  const run = await tune({
    trainable: fakeTrainable,
    space: fixedSpace,
    ...common,
    trials: TRIALS,
    maxIterations: EPOCHS,
    seed: SEED,
    searcher: new RandomSearch(fixedSpace, { ...common, seed: SEED }),
    scheduler: new FIFOScheduler(),
    resources: { cpu: 1, gpu: 0 },
    capacity: { cpu: 2, gpu: 0 },
    storagePath: recording,
    progress: false,
  });
  live = [...run.trials];
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const cpuOf = (trials: readonly TrialView[]) => trials.reduce((s, t) => s + t.history.reduce((a, r) => a + Number(r.metrics["step_cpu_seconds"]), 0), 0);
const bestOf = (trials: readonly TrialView[]) => Math.max(...trials.flatMap((t) => t.history.map((r) => Number(r.metrics["accuracy"]))));

describe("the fixed-budget Fashion-MNIST setting", () => {
  it("finds the recorded seeds and counts a recording's complete trials", () => {
    expect(recordedSeeds(out, "fifo")).toEqual([SEED]);
    expect(recordedSeeds(out, "tpe+asha")).toEqual([]);
    expect(completePrefix(recording)).toBe(TRIALS);
  });

  it("replaying FIFO on the recording gives the live run's histories, best and CPU-seconds", () => {
    const r = replayRecording(recording, SEED, new FIFOScheduler(), TRIALS);
    for (const t of live) expect(r.trials.find((x) => x.id === t.id)?.history.map((h) => h.metrics)).toEqual(t.history.map((h) => h.metrics));
    expect(r.best).toBe(bestOf(live));
    expect(r.cpu).toBeCloseTo(cpuOf(live), 9);
    expect(r.results).toBe(TRIALS * EPOCHS);
  });

  it("replaying the first k trials is random search with k trials", () => {
    const r = replayRecording(recording, SEED, new FIFOScheduler(), 3);
    expect(r.trials.map((t) => t.id)).toEqual(["t00000", "t00001", "t00002"]);
    expect(r.trials.map((t) => t.config)).toEqual(live.slice(0, 3).map((t) => t.config));
  });

  it("replaying ASHA trains fewer epochs and charges only the epochs it ran", () => {
    const r = replayRecording(recording, SEED, new ASHAScheduler({ ...common, maxT: EPOCHS, gracePeriod: 1, reductionFactor: 3, seed: SEED }), TRIALS);
    expect(r.results).toBeLessThan(TRIALS * EPOCHS);
    expect(r.cpu).toBeCloseTo(cpuOf(r.trials), 9);
    expect(r.cpu).toBeLessThan(cpuOf(live));
  });

  it("measures a live run's directory: best, final best, CPU-seconds, epochs and wall time", () => {
    const m = measureDir(recording);
    expect(m.best).toBe(bestOf(live));
    expect(m.finalBest).toBe(Math.max(...live.map((t) => Number(t.history.at(-1)?.metrics["accuracy"]))));
    expect(m.cpu).toBeCloseTo(cpuOf(live), 9);
    expect(m.results).toBe(TRIALS * EPOCHS);
    expect(m.trials).toBe(TRIALS);
    expect(m.wall).toBe(recordedWallSeconds(recording));
    expect(m.wall).toBe(Math.max(...live.flatMap((t) => t.history.map((h) => h.time))));
  });

  it("cpuToReach sums CPU in arrival order up to the first result at the target, and never is Infinity", () => {
    const rows = live.flatMap((t) => t.history).sort((a, b) => a.time - b.time);
    const first = rows[0]!;
    expect(cpuToReach(live, Number(first.metrics["accuracy"]) - 1)).toBeCloseTo(Number(first.metrics["step_cpu_seconds"]), 12);
    expect(cpuToReach(live, bestOf(live))).toBeLessThanOrEqual(cpuOf(live) + 1e-9);
    expect(cpuToReach(live, bestOf(live) + 0.01)).toBe(Number.POSITIVE_INFINITY);
  });
});
