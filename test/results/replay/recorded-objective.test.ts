import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import { PopulationBasedTraining, mutationsFromSpace } from "../../../algorithms/schedulers/index.ts";
import { cartPoleSpace } from "../../../benchmarks/rl/index.ts";
import type { TrialView } from "../../../core/contracts/index.ts";
import type { TuneRun } from "../../../real-backend/index.ts";
import { loadExperiment, readRecording, recordedObjective, RecordedConfigSearcher } from "../../../results/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { liveScheduler, MAX_ITERATIONS, METRIC, recordLive } from "./record.ts";

const SEED = 3;
const oneCpu = { nodeTypes: [{ name: "cpu", count: 1, cpus: 1, gpus: 0 }] };

function replay(dir: string, kind: "fifo" | "asha", trials: number) {
  return simulate({
    objective: recordedObjective(dir),
    space: cartPoleSpace,
    metric: METRIC,
    mode: "max",
    trials,
    maxIterations: MAX_ITERATIONS,
    seed: SEED,
    searcher: new RandomSearch(cartPoleSpace, { metric: METRIC, mode: "max", seed: SEED }),
    scheduler: liveScheduler(kind, SEED),
    resources: { cpu: 1, gpu: 0 },
    cluster: oneCpu,
  });
}

const byId = (trials: readonly TrialView[]) => new Map(trials.map((t) => [t.id, t]));

let fifo: { dir: string; run: TuneRun };
let asha: { dir: string; run: TuneRun };

beforeAll(async () => {
  fifo = await recordLive("fifo", 4, SEED);
  asha = await recordLive("asha", 9, SEED);
});
afterAll(() => {
  for (const r of [fifo, asha]) if (r) rmSync(r.dir, { recursive: true, force: true });
});

describe("recordedObjective", () => {
  it("reads each config's curve and step times from the directory", () => {
    const recording = readRecording(fifo.dir);
    expect(recording).toMatchObject({ metric: METRIC, mode: "max", kind: "real" });
    expect(recording.curves).toHaveLength(4);
    const analysis = loadExperiment(fifo.dir);
    for (const curve of recording.curves) {
      const trial = analysis.trial(curve.trialId);
      expect(curve.metrics).toEqual(trial.results.map((r) => r.metrics));
      expect(curve.seconds.reduce((a, b) => a + b, 0)).toBeCloseTo(trial.results.at(-1)!.time_total_s, 9);
      for (const s of curve.seconds) expect(s).toBeGreaterThan(0);
    }
  });

  it("replaying FIFO on a FIFO recording reproduces its histories exactly", () => {
    const run = replay(fifo.dir, "fifo", 4);
    const live = byId(fifo.run.trials);
    expect(run.trials).toHaveLength(4);
    for (const trial of run.trials) {
      const original = live.get(trial.id)!;
      expect(trial.config).toEqual(original.config);
      expect(trial.history.map((r) => [r.iteration, r.metrics])).toEqual(original.history.map((r) => [r.iteration, r.metrics]));
      expect(trial.history).toHaveLength(MAX_ITERATIONS);
      // Step times are the recorded ones; their running sum differs from the recorded total by rounding at most.
      trial.history.forEach((r, i) => expect(r.timeTotal).toBeCloseTo(original.history[i]!.timeTotal, 9));
    }
    expect(run.best?.metric).toBe(fifo.run.best?.metric);
  });

  it("replaying ASHA stops every trial at the rung where the live ASHA run stopped it", () => {
    const run = replay(asha.dir, "asha", 9);
    const live = byId(asha.run.trials);
    const liveLengths = asha.run.trials.map((t) => t.history.length);
    // The live run did stop trials early, at ASHA's rungs (1, 3, 9 with grace 1 and factor 3).
    expect(liveLengths.some((n) => n < MAX_ITERATIONS)).toBe(true);
    for (const n of liveLengths) expect([1, 3, 9]).toContain(n);
    expect(run.trials.map((t) => [t.id, t.history.length, t.status])).toEqual(asha.run.trials.map((t) => [t.id, t.history.length, t.status]));
    for (const trial of run.trials) expect(trial.history.map((r) => r.metrics)).toEqual(live.get(trial.id)!.history.map((r) => r.metrics));
  });

  it("a config never recorded fails its trial with a ContractError naming it; nearest answers it under the option", () => {
    const objective = recordedObjective(fifo.dir);
    const recorded = objective.configs[0]!;
    const other = { ...recorded, lr: (recorded["lr"] as number) * 1.01 };
    expect(() => objective.init(other, { next: () => 0, normal: () => 0 })).toThrow(/^recordedObjective: config \{.*"lr".*\} was never recorded in .* \(4 configs recorded\)/);
    expect(objective.curveFor(recorded).config).toEqual(recorded);

    const nearest = recordedObjective(fifo.dir, { unrecorded: "nearest", space: cartPoleSpace });
    expect(nearest.curveFor(other).config).toEqual(recorded);
    const plain = recordedObjective(fifo.dir, { unrecorded: "nearest" });
    expect(plain.curveFor(other).config).toEqual(recorded);
  });

  it("nearest is nearest in the space's encoding (log scale for a log domain)", () => {
    const objective = recordedObjective(fifo.dir, { unrecorded: "nearest", space: cartPoleSpace });
    const configs = objective.configs;
    for (const target of configs) {
      const probe = { ...target, lr: (target["lr"] as number) * 1.001 };
      expect(objective.curveFor(probe).config).toEqual(target);
    }
  });

  it("a step past the recorded curve is an error, or the end under beyondRecording: end", () => {
    const strict = recordedObjective(asha.dir);
    const stopped = strict.recording.curves.find((c) => c.metrics.length < MAX_ITERATIONS)!;
    const ctx = (iteration: number) => ({ iteration, rng: { next: () => 0, normal: () => 0 }, resources: { cpu: 1, gpu: 0 } });
    const n = stopped.metrics.length;
    expect(() => strict.step({ iteration: n }, stopped.config, ctx(n + 1))).toThrow(`was recorded for ${n} iterations (trial ${stopped.trialId}, stopped there)`);
    const lenient = recordedObjective(asha.dir, { beyondRecording: "end" });
    expect(lenient.step({ iteration: n - 1 }, stopped.config, ctx(n)).done).toBe(true);
    expect(strict.step({ iteration: n - 1 }, stopped.config, ctx(n)).done).toBeUndefined();
  });

  it("bad options and directories are one-line OptionErrors naming the field", () => {
    expect(() => recordedObjective(fifo.dir, { unrecorded: "closest" as never })).toThrow('recordedObjective.unrecorded: got unknown name "closest"; known: error, nearest');
    expect(() => recordedObjective(fifo.dir, { space: cartPoleSpace })).toThrow("recordedObjective.space:");
    expect(() => recordedObjective(fifo.dir, { startupSeconds: -1 })).toThrow("recordedObjective.startupSeconds: must be a finite number >= 0, got -1");
    expect(() => recordedObjective("/nonexistent/dir")).toThrow('dir: "/nonexistent/dir" does not exist');
  });

  it("PBT replays with nearest: exploits continue the nearest config's curve from the donor's iteration", () => {
    const objective = recordedObjective(fifo.dir, { unrecorded: "nearest", space: cartPoleSpace });
    // Every step takes 1 simulated second rather than its recorded wall seconds: those vary
    // with the machine's load while recording, and with them the order of results, and so
    // whether PBT finds a donor with a checkpoint (on a loaded CI run it once found none).
    const lockstep: typeof objective = { ...objective, step: (state, config, context) => ({ ...objective.step(state, config, context), seconds: 1 }) };
    const out = mkdtempSync(join(tmpdir(), "tunelab-replay-pbt-"));
    const run = simulate({
      storagePath: out,
      objective: lockstep,
      space: cartPoleSpace,
      metric: METRIC,
      mode: "max",
      trials: 4,
      maxIterations: MAX_ITERATIONS,
      seed: SEED,
      searcher: new RecordedConfigSearcher(objective.configs, { seed: SEED }),
      scheduler: new PopulationBasedTraining({
        metric: METRIC,
        mode: "max",
        seed: SEED,
        timeAttr: "training_iteration",
        perturbationInterval: 2,
        hyperparamMutations: mutationsFromSpace(cartPoleSpace),
      }),
      resources: { cpu: 1, gpu: 0 },
      cluster: { nodeTypes: [{ name: "cpu", count: 1, cpus: 4, gpus: 0 }] },
    });
    expect(run.trials).toHaveLength(4);
    const replayed = loadExperiment(out);
    expect(replayed.exploits.length).toBeGreaterThan(0);
    let checked = 0;
    for (const trial of replayed.trials) {
      for (const r of trial.results) {
        // Every result is the recorded result at its iteration of the curve that answers the config in force then.
        expect(r.metrics).toEqual(objective.curveFor(r.config).metrics[r.training_iteration - 1]);
        checked++;
      }
    }
    // Every result of the run was checked. (Not 4 x MAX_ITERATIONS: a clone of a donor that is ahead of it
    // skips iterations, and which donor is ahead depends on the recorded wall-clock step times.)
    expect(checked).toBe(run.trials.reduce((n, t) => n + t.history.length, 0));
    expect(checked).toBeGreaterThan(0);
    // An exploited trial runs under a config that was never recorded: the nearest curve answered it.
    const exploited = replayed.exploits[0]!;
    expect(objective.configs.some((c) => JSON.stringify(c) === JSON.stringify(exploited.new_config))).toBe(false);
    rmSync(out, { recursive: true, force: true });
  });
});
