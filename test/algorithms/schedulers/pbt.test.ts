import { describe, expect, it } from "vitest";
import { PopulationBasedTraining, PopulationBasedTrainingReplay, mutationsFromSpace, policySchedule } from "../../../algorithms/schedulers/index.ts";
import { explore } from "../../../algorithms/schedulers/pbt/mutations.ts";
import { pbtQuantiles } from "../../../algorithms/schedulers/pbt/quantiles.ts";
import * as api from "../../../index.ts";
import type { Config, Scheduler, TrialView } from "../../../core/contracts/index.ts";
import { OptionError } from "../../../core/contracts/index.ts";
import { choice, loguniform, randint, uniform } from "../../../core/space/index.ts";
import { noisyLrScheduleObjective, pbtToyObjective } from "../../../benchmarks/objectives/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { fixedConfigs, runToy, toyPbt } from "./pbt-fixtures.ts";
import { HotSwap } from "../../../testing/index.ts";

const base = { metric: "mean_accuracy", mode: "max" as const };
const lr = { lr: uniform(0.0001, 0.02) };

/** A uniform source replaying the given numbers. */
function script(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}


describe("PopulationBasedTraining options", () => {
  it("is exported from the public API with its replay and PB2", () => {
    expect(api.PopulationBasedTraining).toBe(PopulationBasedTraining);
    expect(api.PopulationBasedTrainingReplay).toBe(PopulationBasedTrainingReplay);
    expect(typeof api.PB2).toBe("function");
  });

  it("validates eagerly and names the option", () => {
    const make = (extra: object) => () => new PopulationBasedTraining({ ...base, hyperparamMutations: lr, ...extra });
    expect(make({ quantileFraction: 0.6 })).toThrow("PopulationBasedTraining.quantileFraction: must be between 0 and 0.5, got 0.6");
    expect(make({ perturbationInterval: 0 })).toThrow("PopulationBasedTraining.perturbationInterval: must be a positive number, got 0");
    expect(make({ burnInPeriod: -1 })).toThrow("PopulationBasedTraining.burnInPeriod");
    expect(make({ resampleProbability: 2 })).toThrow("PopulationBasedTraining.resampleProbability");
    expect(make({ perturbationFactors: [] })).toThrow("PopulationBasedTraining.perturbationFactors");
    expect(make({ mode: "up" })).toThrow('PopulationBasedTraining.mode: must be "min" or "max", got "up"');
    expect(make({ hyperparamMutations: { lr: 3 } })).toThrow("PopulationBasedTraining.hyperparamMutations.lr: must be a Domain, a list, a function or a nested object");
    expect(make({ hyperparamMutations: { lr: [] } })).toThrow("PopulationBasedTraining.hyperparamMutations.lr: a list of values must not be empty");
    expect(() => new PopulationBasedTraining({ ...base })).toThrow(OptionError);
    expect(() => new PopulationBasedTraining({ ...base })).toThrow("give at least one of hyperparamMutations or customExploreFn");
    expect(() => new PopulationBasedTraining({ ...base, customExploreFn: (c) => c })).not.toThrow();
  });

  it("has Ray Tune's defaults", () => {
    const pbt = new PopulationBasedTraining({ ...base, hyperparamMutations: lr }) as unknown as Record<string, unknown>;
    expect(pbt["timeAttr"]).toBe("time_total_s");
    expect(pbt["perturbationInterval"]).toBe(60);
    expect(pbt["burnInPeriod"]).toBe(0);
    expect(pbt["quantileFraction"]).toBe(0.25);
    expect(pbt["resampleProbability"]).toBe(0.25);
    expect(pbt["perturbationFactors"]).toEqual([1.2, 0.8]);
    expect(pbt["synch"]).toBe(false);
  });

  it("rejects a trial whose config lacks a mutated key", () => {
    const pbt = new PopulationBasedTraining({ ...base, hyperparamMutations: { momentum: uniform(0, 1) } });
    const bench = noisyLrScheduleObjective();
    expect(() => simulate({ objective: bench.objective, space: bench.space, ...base, trials: 2, scheduler: pbt })).toThrow(
      'hyperparamMutations: trial t00000\'s config has no "momentum" to mutate',
    );
  });
});

describe("explore", () => {
  const settings = { resampleProbability: 0.25, perturbationFactors: [1.2, 0.8] };

  it("multiplies by a perturbation factor, or resamples with resampleProbability", () => {
    // random: 0.9 >= 0.25 (no resample), then 0.1 picks factor index 0 (1.2).
    expect(explore({ lr: 0.01 }, lr, settings, script(0.9, 0.1)).config["lr"]).toBeCloseTo(0.012, 15);
    expect(explore({ lr: 0.01 }, lr, settings, script(0.9, 0.7)).config["lr"]).toBeCloseTo(0.008, 15);
    const resampled = explore({ lr: 0.01 }, lr, settings, script(0.1, 0.5));
    expect(resampled.operations["lr"]).toBe("resample");
    expect(resampled.config["lr"]).toBeCloseTo(0.0001 + 0.5 * (0.02 - 0.0001), 12);
  });

  it("shifts a list value to a neighbour (clamped at the ends) or resamples it; an unknown value is resampled", () => {
    const spec = { batch: [16, 32, 64] };
    expect(explore({ batch: 32 }, spec, settings, script(0.9, 0.2)).config["batch"]).toBe(16);
    expect(explore({ batch: 32 }, spec, settings, script(0.9, 0.8)).config["batch"]).toBe(64);
    const clamped = explore({ batch: 64 }, spec, settings, script(0.9, 0.8));
    expect(clamped.config["batch"]).toBe(64);
    expect(clamped.operations["batch"]).toBe("shift right (noop)");
    expect(explore({ batch: 48 }, spec, settings, script(0.9, 0.99)).operations["batch"]).toBe("resample");
  });

  it("clamps perturbed domain values into bounds; ints stay ints; functions resample by being called", () => {
    expect(explore({ lr: 0.019 }, lr, settings, script(0.9, 0.1)).config["lr"]).toBe(0.02);
    expect(explore({ n: 8 }, { n: randint(1, 9) }, settings, script(0.9, 0.1)).config["n"]).toBe(8);
    expect(explore({ n: 5 }, { n: randint(1, 9) }, settings, script(0.9, 0.1)).config["n"]).toBe(6);
    expect(explore({ lr: 1e-3 }, { lr: loguniform(1e-4, 1e-2) }, settings, script(0.9, 0.7)).config["lr"]).toBeCloseTo(8e-4, 15);
    expect(explore({ w: 3 }, { w: (r: () => number) => 10 + r() }, settings, script(0.1, 0.5)).config["w"]).toBe(10.5);
    // choice is continuous, as in Ray: its value is multiplied.
    expect(explore({ c: 10 }, { c: choice([1, 10, 100]) }, settings, script(0.9, 0.1)).config["c"]).toBe(12);
  });

  it("explores nested configs and then applies the custom explore fn; other keys are kept", () => {
    const { config } = explore(
      { opt: { lr: 0.01, beta: 0.9 }, seed: 7 },
      { opt: lr },
      { ...settings, customExploreFn: (c) => ({ ...c, tagged: true }) },
      script(0.9, 0.1),
    );
    expect(config).toEqual({ opt: { lr: expect.closeTo(0.012, 12), beta: 0.9 }, seed: 7, tagged: true });
  });
});

describe("pbtQuantiles", () => {
  const members = (scores: number[]) => scores.map((score, index) => ({ id: `t${index}`, index, score }));
  it("takes ceil(n * fraction) from each end, never more than half, none below two members", () => {
    expect(pbtQuantiles(members([5, 1, 4, 2, 3]), 0.25)).toEqual({ lower: ["t1", "t3"], upper: ["t2", "t0"] });
    expect(pbtQuantiles(members([3, 1, 2]), 0.5)).toEqual({ lower: ["t1"], upper: ["t0"] });
    expect(pbtQuantiles(members([1, 2, 3, 4]), 0)).toEqual({ lower: [], upper: [] });
    expect(pbtQuantiles(members([1]), 0.5)).toEqual({ lower: [], upper: [] });
    // Ties keep creation order (a stable sort, as in Ray).
    expect(pbtQuantiles(members([1, 1]), 0.25)).toEqual({ lower: ["t0"], upper: ["t1"] });
  });
});

describe("PopulationBasedTraining in the simulator", () => {
  const bench = noisyLrScheduleObjective();
  const run = (scheduler: Scheduler, gpus: number, extra: object = {}) =>
    simulate({ objective: bench.objective, space: bench.space, ...base, trials: 8, seed: 4, scheduler, cluster: { gpus }, maxIterations: 150, ...extra });
  const pbt = (extra: object = {}) =>
    new PopulationBasedTraining({ ...base, seed: 4, timeAttr: "training_iteration", perturbationInterval: 6, hyperparamMutations: lr, ...extra });

  it("time-multiplexes a population larger than the cluster: every trial trains to the end", () => {
    const scheduler = pbt();
    const r = run(scheduler, 3, { trace: () => {} });
    expect(r.trials.every((t) => t.status === "TERMINATED" && (t.lastResult?.iteration === 150 || t.lastResult?.done === true))).toBe(true);
    expect(scheduler.stats.perturbations).toBeGreaterThan(0);
    expect(scheduler.policyLog().length).toBeGreaterThan(0);
  });

  it("logs each trial's policy: its lineage, with the iteration of the checkpoint it went on from", () => {
    const lines: string[] = [];
    const scheduler = pbt();
    const r = run(scheduler, 8, { trace: (l: string) => lines.push(l) });
    const exploits = lines.map((l) => JSON.parse(l) as { type: string; trial: string; from: string; iteration: number }).filter((e) => e.type === "exploit");
    const log = scheduler.policyLog();
    expect(log.length).toBe(exploits.length);
    log.forEach((entry, i) => expect({ trial: entry.trialId, from: entry.donorId, iteration: entry.donorIteration }).toEqual({ trial: exploits[i]?.trial, from: exploits[i]?.from, iteration: exploits[i]?.iteration }));
    for (const trial of r.trials) {
      const policy = scheduler.policy(trial.id);
      // A lineage chains: each entry starts from the config the previous one set.
      for (let i = 1; i < policy.length; i++) expect(policy[i]?.donorConfig).toEqual(policy[i - 1]?.config);
      if (policy.length > 0) expect(trial.config).toEqual(policy[policy.length - 1]?.config);
    }
  });

  it("waits for the burn-in period before any perturbation", () => {
    const scheduler = pbt({ burnInPeriod: 1000 });
    run(scheduler, 8);
    expect(scheduler.stats).toEqual({ checkpoints: 0, perturbations: 0 });
  });

  it("save()/restore() are exact: a run whose scheduler is rebuilt from JSON every few calls matches an uninterrupted one", () => {
    for (const synch of [false, true]) {
      const traceOf = (scheduler: Scheduler) => {
        const lines: string[] = [];
        run(scheduler, 3, { trace: (l: string) => lines.push(l), cluster: { gpus: 3, preemptionRate: 2 }, maxFailures: -1 });
        return lines;
      };
      const plain = traceOf(pbt({ synch }));
      expect(traceOf(new HotSwap(() => pbt({ synch }), 7))).toEqual(plain);
      expect(plain.some((l) => l.includes('"exploit"'))).toBe(true);
    }
  });

  it("synchronous mode ranks the whole population at once and exploits paused trials before they run again", () => {
    const scheduler = pbt({ synch: true });
    const r = run(scheduler, 3);
    expect(r.trials.every((t) => t.status === "TERMINATED")).toBe(true);
    expect(scheduler.policyLog().length).toBeGreaterThan(0);
  });

  it("builds its mutations from a space's domains", () => {
    expect(Object.keys(mutationsFromSpace({ a: uniform(0, 1), b: 3, c: choice([1, 2]) }))).toEqual(["a", "c"]);
  });
});

describe("PopulationBasedTrainingReplay", () => {
  it("replays the best toy trial's policy and reproduces its Q exactly", () => {
    const { run, pbt } = runToy(3, toyPbt(3));
    const best = [...run.trials].sort((a, b) => (b.lastResult?.metrics["Q"] ?? 0) - (a.lastResult?.metrics["Q"] ?? 0))[0] as TrialView;
    const policy = pbt!.policy(best.id);
    expect(policy.length).toBeGreaterThan(3);
    const schedule = policySchedule(policy)!;
    const replay = new PopulationBasedTrainingReplay(policy);
    expect(replay.initialConfig).toEqual(schedule.initialConfig);
    const bench = pbtToyObjective();
    const seen: Array<[number, Config]> = [];
    const recording = { ...bench.objective, step: (s: never, c: Config, ctx: never) => (seen.push([(ctx as { iteration: number }).iteration, c]), bench.objective.step(s, c, ctx)) };
    const replayed = simulate({
      objective: recording as typeof bench.objective,
      space: bench.space,
      metric: "Q",
      mode: "max",
      trials: 1,
      searcher: replay.searcher(),
      scheduler: replay,
      maxIterations: best.lastResult!.iteration,
    });
    expect(replayed.trials[0]?.lastResult?.metrics["Q"]).toBe(best.lastResult?.metrics["Q"]);
    expect(replay.perturbations).toBe(new Set(schedule.changes.map((c) => c.afterIteration)).size);
    // The config in force at each iteration is the schedule's.
    for (const [iteration, config] of seen) {
      let expected = schedule.initialConfig;
      for (const change of schedule.changes) if (iteration > change.afterIteration) expected = change.config;
      expect(config, `iteration ${iteration}`).toEqual(expected);
    }
  });

  it("takes one trial only, and that trial must start from the policy's initial config", () => {
    const { run, pbt } = runToy(1, toyPbt(1));
    const policy = pbt!.policy(run.trials[0]!.id);
    const bench = pbtToyObjective();
    const replay = new PopulationBasedTrainingReplay(policy.length > 0 ? policy : pbt!.policy(run.trials[1]!.id));
    expect(() =>
      simulate({ objective: bench.objective, space: bench.space, metric: "Q", mode: "max", trials: 2, searcher: fixedConfigs([{ h0: 0.3, h1: 0.3 }]), scheduler: replay }),
    ).toThrow("does not start with the policy's initial config");
    const again = new PopulationBasedTrainingReplay(pbt!.policyLog().slice(0, 1));
    const twice = { ...again.searcher(), suggest: () => structuredClone(again.initialConfig!) };
    expect(() => simulate({ objective: bench.objective, space: bench.space, metric: "Q", mode: "max", trials: 2, searcher: twice, scheduler: again })).toThrow(
      "more than one trial added",
    );
  });
});
