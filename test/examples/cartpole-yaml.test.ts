import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PopulationBasedTraining } from "../../algorithms/schedulers/index.ts";
import { experimentToTuneOptions } from "../../cli/experiment-file/index.ts";
import { loadExperiment } from "../../cli/run-command.ts";
import { rngFor } from "../../core/rng.ts";
import { sampleConfig } from "../../core/space/index.ts";
import cartpole from "../../examples/cartpole-trainable.ts";

const root = join(import.meta.dirname, "../..");

describe("examples/cartpole.yaml", () => {
  it("resolves to PBT over the CartPole trainable's four hyperparameters", () => {
    const options = experimentToTuneOptions(loadExperiment(join(root, "examples/cartpole.yaml")));
    expect(options.trainable).toEqual({ module: join(root, "examples/cartpole-trainable.ts") });
    expect(options.scheduler).toBeInstanceOf(PopulationBasedTraining);
    expect(Object.keys(options.space).sort()).toEqual(["batch_episodes", "entropy_coeff", "gamma", "lr"]);
    expect(options).toMatchObject({ metric: "mean_return", mode: "max", trials: 8, maxIterations: 30 });
  });

  it("its trainable module trains on a config the file's space samples, with plain-JSON state", () => {
    const options = experimentToTuneOptions(loadExperiment(join(root, "examples/cartpole.yaml")));
    const rng = rngFor(1, "trial", "t00000");
    const config = sampleConfig(options.space, rng.uniform);
    const state = cartpole.init(config, rng);
    const out = cartpole.step(state, config, { iteration: 1, rng, resources: { cpu: 1, gpu: 0 } });
    expect(out.metrics["episodes"]).toBeGreaterThanOrEqual(20 - (config["batch_episodes"] as number));
    expect(JSON.parse(JSON.stringify(out.state))).toEqual(out.state);
  });
});
