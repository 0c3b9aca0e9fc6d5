import { describe, expect, it } from "vitest";
import { FIFOScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import type { CheckpointRef, Objective, TrialView } from "../../core/contracts/index.ts";
import { noisyLrScheduleObjective } from "../../benchmarks/objectives/index.ts";
import { FloatDomain, grid, uniform } from "../../core/space/index.ts";
import { MaximumIterationStopper } from "../../core/stoppers/index.ts";
import { TuneLoop } from "../../core/tune-loop.ts";
import { resolveCluster, SimExecutor, simulate } from "../../simulator/index.ts";
import { countingObjective, countingSpace } from "../_helpers/objectives.ts";

describe("simulate", () => {
  it("runs a user-written Objective (a table of recorded learning curves) exactly like ours", () => {
    // Four recorded validation-loss curves, as a user would load them from past runs.
    const curves: Record<string, number[]> = {
      small: [2.3, 1.9, 1.7, 1.6, 1.55],
      medium: [2.2, 1.5, 1.2, 1.1, 1.05],
      large: [2.4, 1.4, 0.9, 0.8, 0.75],
      huge: [2.5, 1.6, 1.0, 0.95, 0.9],
    };
    const recorded: Objective<{ epoch: number }> = {
      name: "recorded-curves",
      metrics: ["val_loss"],
      init: () => ({ epoch: 0 }),
      step: (state, config) => {
        const curve = curves[config["model"] as string] as number[];
        const epoch = state.epoch + 1;
        return { metrics: { val_loss: curve[epoch - 1] as number }, seconds: 60, state: { epoch }, done: epoch === curve.length };
      },
    };
    const space = { model: grid(Object.keys(curves)) };
    const run = simulate({ objective: recorded, space, metric: "val_loss", mode: "min", trials: 4, seed: 1, cluster: { gpus: 2 } });
    expect(run.best?.config).toEqual({ model: "large" });
    expect(run.best?.metric).toBe(0.75);
    for (const t of run.trials) {
      expect(t.history.map((r) => r.metrics["val_loss"])).toEqual(curves[t.config["model"] as string]);
    }
    // 4 trials x 5 epochs x 60 s on 2 GPUs, plus one actor start-up per GPU (reused after).
    expect(run.summary.simulatedSeconds).toBe(2 * 5 * 60 + 8);
    expect(run.summary.gpuSeconds).toBeCloseTo(4 * 5 * 60 + 2 * 8, 6);
  });

  it("resuming a saved experiment continues with the same suggestions and completes every trial", () => {
    const seed = 11;
    const options = { metric: "loss", mode: "min" as const, seed };
    const executor = new SimExecutor({ objective: countingObjective, cluster: resolveCluster({ gpus: 4 }), seed });
    const loop = new TuneLoop({
      searcher: new RandomSearch(countingSpace, options),
      scheduler: new FIFOScheduler(),
      executor,
      metric: "loss",
      mode: "min",
      trials: 20,
      resources: { cpu: 1, gpu: 1 },
      stoppers: [new MaximumIterationStopper(10)],
      checkpointFrequency: 3,
    });
    loop.begin();
    executor.run(() => loop.finished || executor.now() > 60); // the driver "crashes" at t=60 s
    expect(loop.finished).toBe(false);
    const saved = JSON.parse(JSON.stringify(loop.save()));

    const common = { objective: countingObjective, space: countingSpace, trials: 20, maxIterations: 10, checkpointFrequency: 3, cluster: { gpus: 4 }, ...options };
    const resumed = simulate({ ...common, resumeFrom: saved });
    const uninterrupted = simulate(common);
    expect(resumed.trials.map((t) => t.config)).toEqual(uninterrupted.trials.map((t) => t.config));
    for (const t of resumed.trials) {
      expect(t.status).toBe("TERMINATED");
      expect(t.history.map((r) => r.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
  });

  it("reports GPU-seconds, cost and actor reuse consistently", () => {
    const run = simulate({
      objective: countingObjective,
      space: countingSpace,
      metric: "loss",
      mode: "min",
      trials: 6,
      maxIterations: 4,
      cluster: { nodeTypes: [{ name: "g2", cpus: 8, gpus: 2, count: 1, pricePerHour: 3.6 }], reuseActors: false },
    });
    const s = run.summary;
    expect(s.actorStarts).toBe(6);
    expect(s.actorReuses).toBe(0);
    // Each trial holds a GPU from placement to release: start-up (8 s) plus its steps.
    const stepSeconds = run.trials.reduce((a, t) => a + (t.lastResult?.timeTotal ?? 0), 0);
    expect(s.gpuSeconds).toBeCloseTo(stepSeconds + 6 * 8, 6);
    expect(s.costDollars).toBeCloseTo((s.simulatedSeconds / 3600) * 3.6, 9);
  });

  it("names the path of a bad search space", () => {
    // The builders throw where called (uniform(5, 1)); a domain made without them is caught by path.
    expect(() =>
      simulate({ objective: countingObjective, space: { x: new FloatDomain("uniform", 5, 1, false, null, null) }, metric: "loss", mode: "min", trials: 1 }),
    ).toThrow("x: uniform needs low < high, got low=5 high=1");
    expect(() =>
      simulate({ objective: countingObjective, space: { x: { y: [uniform(0, 1)] } }, metric: "loss", mode: "min", trials: 1 }),
    ).toThrow(/^x\.y\[0\]: /);
  });

  it("explains a simulator deadlock instead of hanging", () => {
    const never = { ...countingObjective, step: () => ({ metrics: { loss: 1 }, seconds: Number.NaN, state: { t: 0 } }) };
    expect(() => simulate({ objective: never, space: countingSpace, metric: "loss", mode: "min", trials: 1 })).toThrow(
      "counting.step: returned seconds=NaN for trial t00000; need a finite number >= 0",
    );
    const searcher = new RandomSearch(countingSpace, { metric: "loss", mode: "min" });
    expect(searcher.suggest()).toHaveProperty("x");
  });
});

describe("preemption notice", () => {
  it("checkpoints trials on a doomed node after their next step, so less work is lost", () => {
    const common = {
      objective: countingObjective,
      space: countingSpace,
      metric: "loss",
      mode: "min" as const,
      trials: 16,
      maxIterations: 200,
      seed: 4,
      cluster: { gpus: 8, preemptionRate: 6, replacementDelaySeconds: 60 },
    };
    const warned = simulate({ ...common, cluster: { ...common.cluster, preemptionNoticeSeconds: 30 } });
    const blind = simulate(common);
    expect(blind.summary.preemptions).toBeGreaterThan(0);
    expect(warned.summary.checkpoints).toBeGreaterThan(0);
    expect(warned.summary.redoneIterations).toBeLessThan(blind.summary.redoneIterations);
    expect(warned.summary.gpuSecondsLostToPreemption).toBeLessThan(blind.summary.gpuSecondsLostToPreemption);
  });
});

describe("SimExecutor.discard", () => {
  it("drops a checkpoint's state, and restoring it afterwards is refused (the loop must never do it)", () => {
    const bench = noisyLrScheduleObjective();
    const executor = new SimExecutor({ objective: bench.objective, cluster: resolveCluster({ gpus: 1 }), seed: 1 });
    const saved: CheckpointRef[] = [];
    let results = 0;
    executor.setListener({
      onResult: () => {
        results++;
      },
      onCheckpointed: (c) => saved.push(c),
      onFailed: () => {},
      onNodeAdded: () => {},
      onNodeLost: () => {},
      onPreemptionNotice: () => {},
    });
    const trial: TrialView = {
      id: "t00000", index: 0, status: "RUNNING", config: { lr: 0.003 }, resources: { cpu: 1, gpu: 1 },
      history: [], lastResult: undefined, latestCheckpoint: undefined, savePending: false, errorMessage: undefined,
    };
    executor.start(trial);
    executor.run(() => results === 1);
    executor.save(trial.id);
    executor.run(() => saved.length === 1);
    const checkpoint = saved[0] as CheckpointRef;
    // Restoring a kept checkpoint works.
    executor.restore(trial.id, checkpoint, { lr: 0.003 });
    executor.run(() => results === 2);
    executor.discard(checkpoint);
    expect((checkpoint.handle as { state: unknown }).state).toBeUndefined();
    expect(() => executor.restore(trial.id, checkpoint, { lr: 0.003 })).toThrow(
      "internal: restored the checkpoint of t00000 at iteration 1 after it was discarded",
    );
  });
});

