import { describe, expect, it } from "vitest";
import { ASHAScheduler } from "../../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import type { Objective, TrialView } from "../../../core/contracts/index.ts";
import { OptionError } from "../../../core/contracts/index.ts";
import { uniform } from "../../../core/space/index.ts";
import { tune } from "../../../real-backend/index.ts";
import { simulate } from "../../../simulator/index.ts";

/** Deterministic objective, noisy through the trial's own stream: both backends must draw the same numbers. */
const noisy: Objective<{ t: number }> = {
  name: "noisy-quadratic",
  metrics: ["loss"],
  init: () => ({ t: 0 }),
  step: (state, config, { rng }) => {
    const t = state.t + 1;
    const lr = config["lr"] as number;
    return { metrics: { loss: (lr - 0.3) ** 2 + 1 / t + 0.01 * rng.normal() }, seconds: 1, state: { t } };
  },
};
const space = { lr: uniform(0, 1) };
const common = { space, metric: "loss", mode: "min" as const, trials: 12, seed: 11, maxIterations: 9 };

/** The decisions of a trace (what the scheduler did to which trial at which iteration), without times. */
function decisions(lines: string[]): string[] {
  return lines
    .map((l) => JSON.parse(l) as { type: string; trial?: string; iteration?: number; restore?: number | null })
    .filter((r) => ["trial_add", "start", "stop", "pause", "exploit"].includes(r.type))
    .map((r) => `${r.type} ${r.trial} ${r.iteration ?? r.restore ?? ""}`);
}

const view = (trials: readonly TrialView[]) =>
  trials.map((t) => ({ id: t.id, config: t.config, status: t.status, losses: t.history.map((r) => r.metrics["loss"]) }));

describe("one experiment engine behind simulate() and tune()", () => {
  it("the same searcher and ASHA give identical configs, decisions and histories on the simulator and in process", async () => {
    const algorithms = () => ({
      searcher: new RandomSearch(space, common),
      scheduler: new ASHAScheduler({ metric: "loss", mode: "min", maxT: 9, gracePeriod: 1, reductionFactor: 3 }),
    });
    const simTrace: string[] = [];
    const sim = simulate({ ...common, ...algorithms(), objective: noisy, cluster: { gpus: 1 }, trace: (l) => simTrace.push(l) });
    const realTrace: string[] = [];
    const real = await tune({ ...common, ...algorithms(), trainable: noisy, capacity: { cpu: 1, gpu: 0 }, trace: (l) => realTrace.push(l) });
    expect(view(real.trials)).toEqual(view(sim.trials));
    expect(decisions(realTrace)).toEqual(decisions(simTrace));
    // ASHA really stopped some trials early: the comparison covers decisions, not just FIFO runs.
    expect(decisions(simTrace).filter((d) => d.startsWith("stop")).length).toBeGreaterThan(0);
    expect(new Set(sim.trials.map((t) => t.history.length)).size).toBeGreaterThan(1);
  });

  it("both return one summary shape; the simulator-only fields are 0 on the real backend", async () => {
    const sim = simulate({ ...common, objective: noisy });
    const real = await tune({ ...common, trainable: noisy });
    expect(Object.keys(real.summary).sort()).toEqual(Object.keys(sim.summary).sort());
    expect(real.summary.simulatedSeconds).toBe(0);
    expect(real.summary.preemptions).toBe(0);
    expect(real.summary.costDollars).toBe(0);
    expect(real.summary.results).toBe(sim.summary.results);
    expect(real.summary.trialStates).toEqual(sim.summary.trialStates);
    expect(real.summary.best).toEqual(sim.summary.best);
    expect(sim.summary.simulatedSeconds).toBeGreaterThan(0);
  });

  it("tune() checks the seed, honours maxIterations and resumes from saved state, as simulate() does", async () => {
    await expect(tune({ ...common, trainable: noisy, seed: 1.5 })).rejects.toThrow(new OptionError("seed", "must be an integer, got 1.5"));
    expect(() => simulate({ ...common, objective: noisy, seed: 1.5 })).toThrow("seed: must be an integer, got 1.5");
    const capped = await tune({ ...common, trainable: noisy, trials: 2, maxIterations: 4 });
    expect(capped.trials.map((t) => t.history.length)).toEqual([4, 4]);

    const full = await tune({ ...common, trainable: noisy, trials: 4 });
    const half = await tune({ ...common, trainable: noisy, trials: 2 });
    const resumed = await tune({ ...common, trainable: noisy, trials: 4, resumeFrom: half.loop.save() });
    expect(view(resumed.trials)).toEqual(view(full.trials));
  });

  it("the default resources follow one rule: 1 CPU, plus 1 GPU where the cluster has GPUs", async () => {
    const sim = simulate({ ...common, objective: noisy, trials: 1 });
    expect(sim.trials[0]?.resources).toEqual({ cpu: 1, gpu: 1 });
    const real = await tune({ ...common, trainable: noisy, trials: 1, capacity: { cpu: 2, gpu: 0 } });
    expect(real.trials[0]?.resources).toEqual({ cpu: 1, gpu: 0 });
    const realGpu = await tune({ ...common, trainable: noisy, trials: 1, capacity: { cpu: 2, gpu: 2 } });
    expect(realGpu.trials[0]?.resources).toEqual({ cpu: 1, gpu: 1 });
  });

  it("blames the experiment's own option, not a default algorithm it built", () => {
    expect(() => simulate({ ...common, objective: noisy, mode: "MIN" as "min" })).toThrow('mode: must be "min" or "max", got "MIN"');
    expect(() => simulate({ ...common, objective: noisy, metric: "acc" })).toThrow(
      'metric: "acc" is not reported by objective noisy-quadratic (reports: loss)',
    );
  });
});
