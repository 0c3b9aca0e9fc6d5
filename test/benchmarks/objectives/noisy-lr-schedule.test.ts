import { describe, expect, it } from "vitest";
import type { Config } from "../../../core/contracts/index.ts";
import { benchmarkByName, noisyLrScheduleObjective, optimalLearningRate } from "../../../benchmarks/objectives/index.ts";
import { loguniform } from "../../../core/space/index.ts";
import { seededStream } from "./_seeded-stream.ts";

/** Runs one learner for `steps` with lr chosen by `schedule(accuracy)`; returns the step it hit the target, or undefined. */
function run(schedule: (accuracy: number) => number, seed: number, steps: number): { doneAt: number | undefined; accuracy: number } {
  const { objective } = noisyLrScheduleObjective();
  const rng = seededStream(seed);
  let state = objective.init({}, rng);
  for (let t = 1; t <= steps; t++) {
    const config: Config = { lr: schedule(state.accuracy) };
    const out = objective.step(state, config, { iteration: t, rng, resources: { cpu: 1, gpu: 1 } });
    state = out.state;
    if (out.done) return { doneAt: t, accuracy: state.accuracy };
  }
  return { doneAt: undefined, accuracy: state.accuracy };
}

describe("noisy-lr-schedule objective", () => {
  it("has an optimal learning rate that rises then falls with progress", () => {
    expect(optimalLearningRate(0)).toBe(0.001);
    expect(optimalLearningRate(50)).toBeCloseTo(0.005, 12);
    expect(optimalLearningRate(100)).toBeCloseTo(0.01, 12);
    expect(optimalLearningRate(150)).toBeCloseTo(0.005, 12);
    expect(optimalLearningRate(300)).toBe(0.001);
  });

  it("a schedule reaches the target; no fixed learning rate does in the same number of steps", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const scheduled = run((acc) => optimalLearningRate(acc), seed, 600);
      expect(scheduled.doneAt, `seed ${seed}`).toBeDefined();
      for (const lr of [0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02]) {
        expect(run(() => lr, seed, 600).doneAt, `seed ${seed}, lr ${lr}`).toBeUndefined();
      }
    }
  });

  it("declares lr log-uniform over Ray's range: the step sees lr only as a factor off the optimum", () => {
    const { objective, space } = noisyLrScheduleObjective();
    expect(space).toEqual({ lr: loguniform(0.0001, 0.02) });
    // A factor k above or below the optimum (0.005 at accuracy 50) gives the same q_err whatever the optimum's size.
    const qErr = (lr: number) => objective.step({ accuracy: 50 }, { lr }, { iteration: 1, rng: seededStream(1), resources: { cpu: 1, gpu: 1 } }).metrics["q_err"];
    expect(qErr(0.005 * 2)).toBeCloseTo(2, 12);
    expect(qErr(0.005 / 2)).toBeCloseTo(2, 12);
  });

  it("is noisy: the same config and state give different accuracies on different streams", () => {
    const { objective } = noisyLrScheduleObjective();
    const outs = [1, 2, 3].map((seed) => {
      const rng = seededStream(seed);
      return objective.step({ accuracy: 50 }, { lr: 0.005 }, { iteration: 1, rng, resources: { cpu: 1, gpu: 1 } }).metrics["mean_accuracy"];
    });
    expect(new Set(outs).size).toBe(3);
  });

  it("is in the registry and checks its options", () => {
    expect(benchmarkByName("noisy-lr-schedule")).toMatchObject({ metric: "mean_accuracy", mode: "max", optimum: 200 });
    expect(() => noisyLrScheduleObjective({ qTolerance: 0 })).toThrow("noisyLrSchedule.qTolerance: must be a finite number > 0, got 0");
    const { objective } = noisyLrScheduleObjective();
    const rng = seededStream(1);
    expect(() => objective.step({ accuracy: 0 }, { lr: -1 }, { iteration: 1, rng, resources: { cpu: 1, gpu: 1 } })).toThrow("config.lr");
  });
});
