import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PopulationBasedTraining, mutationsFromSpace } from "../../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import { cartPoleObjective, cartPoleSpace, type ReinforceState } from "../../../benchmarks/rl/index.ts";
import type { Objective } from "../../../core/contracts/index.ts";
import { loadExperiment } from "../../../results/index.ts";
import { configKey } from "../../../results/replay/index.ts";
import { simulate } from "../../../simulator/index.ts";

interface StepLog {
  config: string;
  iteration: number;
  before: number[];
  beforeAdam: number[];
  after: number[];
  afterAdam: number[];
}

describe("CartPole under PBT", () => {
  it("an exploit moves the donor's real policy weights and Adam moments into the trial", () => {
    const inner = cartPoleObjective({ episodesPerStep: 2, hidden: 4 });
    const log: StepLog[] = [];
    const objective: Objective<ReinforceState> = {
      ...inner,
      startupSeconds: 0,
      step(state, config, context) {
        const before = [...state.policy];
        const beforeAdam = [...state.policyAdam.m];
        const out = inner.step(state, config, context);
        log.push({ config: configKey(config), iteration: context.iteration, before, beforeAdam, after: [...out.state.policy], afterAdam: [...out.state.policyAdam.m] });
        return out;
      },
    };
    const dir = mkdtempSync(join(tmpdir(), "tunelab-cartpole-pbt-"));
    try {
      simulate({
        objective,
        space: cartPoleSpace,
        metric: "mean_return",
        mode: "max",
        trials: 4,
        maxIterations: 8,
        seed: 2,
        searcher: new RandomSearch(cartPoleSpace, { metric: "mean_return", mode: "max", seed: 2 }),
        scheduler: new PopulationBasedTraining({
          metric: "mean_return",
          mode: "max",
          seed: 2,
          timeAttr: "training_iteration",
          perturbationInterval: 2,
          hyperparamMutations: mutationsFromSpace(cartPoleSpace),
        }),
        resources: { cpu: 1, gpu: 0 },
        cluster: { nodeTypes: [{ name: "cpu", count: 1, cpus: 4, gpus: 0 }] },
        storagePath: dir,
      });
      const analysis = loadExperiment(dir);
      expect(analysis.exploits.length).toBeGreaterThan(0);
      for (const exploit of analysis.exploits) {
        const donorRecord = analysis.trial(exploit.donor).results.find((r) => r.training_iteration === exploit.iteration)!;
        const donorStep = log.find((s) => s.config === configKey(donorRecord.config) && s.iteration === exploit.iteration)!;
        const firstAfter = log.find((s) => s.config === configKey(exploit.new_config) && s.iteration === exploit.iteration + 1)!;
        expect(donorStep).toBeDefined();
        expect(firstAfter).toBeDefined();
        // The exploited trial's next step starts from the donor's weights, not from its own.
        expect(firstAfter.before).toEqual(donorStep.after);
        const ownLast = log.filter((s) => s.config === configKey(exploit.old_config)).at(-1)!;
        expect(firstAfter.before).not.toEqual(ownLast.after);
        expect(firstAfter.beforeAdam).toEqual(donorStep.afterAdam);
        expect(firstAfter.beforeAdam.some((m) => m !== 0)).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
