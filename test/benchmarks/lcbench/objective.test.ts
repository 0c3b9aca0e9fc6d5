import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASHAScheduler } from "../../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import { loadLcbench, predictCurves, surrogateInputs, type LcbenchSuite } from "../../../benchmarks/lcbench/index.ts";
import { OptionError } from "../../../core/contracts/index.ts";
import { rngFor } from "../../../core/rng.ts";
import { sampleConfig } from "../../../core/space/index.ts";
import { blockwiseExact } from "../../../benchmarks/lcbench/growing-curve.ts";
import { simulate } from "../../../simulator/index.ts";

interface ReferenceCase {
  task: string;
  config: Record<string, number>;
  epochs: number[];
  predictions: Record<string, number[]>;
}
const reference = JSON.parse(readFileSync(new URL("./reference-predictions.json", import.meta.url), "utf8")) as { cases: ReferenceCase[] };
const defaultConfig = { batch_size: 91, learning_rate: 0.0031622777, momentum: 0.545, weight_decay: 0.050005, num_layers: 3, max_units: 256, max_dropout: 0.5 };

let suite: LcbenchSuite;
beforeAll(async () => {
  suite = await loadLcbench();
});
afterAll(async () => {
  await suite?.close();
});

describe("LCBench surrogate against an independent evaluation", () => {
  // reference-predictions.json comes from a NumPy interpreter of model.onnx
  // (benchmarks/lcbench/reference/numpy_reference.py), not from ONNX Runtime,
  // and builds its inputs from YAHPO Gym's rules, not from surrogateInputs.
  it.each(reference.cases.map((c) => [c.task, c] as const))("task %s matches the NumPy reference at every checked epoch", (_task, c) => {
    const [curve] = predictCurves(suite.surrogate, suite.data, c.task, [surrogateInputs(suite.data, c.config)]);
    for (const [name, values] of Object.entries(c.predictions)) {
      c.epochs.forEach((epoch, k) => {
        const ours = curve![name as "time"][epoch - 1] as number;
        const theirs = values[k] as number;
        // float32 network, two engines summing in different orders: agree to ~1e-4 relative.
        expect(Math.abs(ours - theirs), `${name} at epoch ${epoch}`).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(theirs)));
      });
    }
  });

  it("a batch of configs gives the same curves as one call each (rows do not interact)", () => {
    const configs = reference.cases.filter((c) => c.task === "3945").map((c) => surrogateInputs(suite.data, c.config));
    const batch = predictCurves(suite.surrogate, suite.data, "3945", configs);
    configs.forEach((inputs, i) => {
      const [single] = predictCurves(suite.surrogate, suite.data, "3945", [inputs]);
      expect(Array.from(batch[i]!.val_accuracy)).toEqual(Array.from(single!.val_accuracy));
    });
  });
});

describe("lcbenchObjective", () => {
  it("space is config_space.json's, integers inclusive", () => {
    const space = suite.benchmark("3945").space as Record<string, { name: string; min: number; max: number }>;
    expect(Object.keys(space)).toEqual(["batch_size", "learning_rate", "momentum", "weight_decay", "num_layers", "max_units", "max_dropout"]);
    expect([space.batch_size!.name, space.batch_size!.min, space.batch_size!.max]).toEqual(["qlograndint", 16, 512]);
    expect([space.num_layers!.name, space.num_layers!.min, space.num_layers!.max]).toEqual(["randint", 1, 5]);
    expect([space.max_units!.min, space.max_units!.max]).toEqual([64, 1024]);
    expect(space.learning_rate!.name).toBe("loguniform");
    expect(space.learning_rate!.min).toBeCloseTo(1e-4, 12);
    expect([space.momentum!.min, space.momentum!.max]).toEqual([0.1, 0.99]);
    expect(suite.taskIds).toHaveLength(34);
  });

  it("runs 52 epochs from one surrogate call with whole curves, with positive seconds and YAHPO-normalised regret", () => {
    const bench = suite.benchmark("3945");
    const objective = bench.objectiveWith({ wholeCurves: true });
    const rng = rngFor(0, "test");
    let state = objective.init(defaultConfig, rng);
    expect(bench.surrogateCalls()).toBe(1);
    let last: Record<string, number> = {};
    let steps = 0;
    for (;;) {
      const out = objective.step(state, defaultConfig, { iteration: steps + 1, rng, resources: { cpu: 1, gpu: 1 } });
      steps++;
      state = out.state;
      last = out.metrics;
      expect(out.seconds).toBeGreaterThan(0);
      if (out.done) break;
    }
    expect(steps).toBe(52);
    expect(bench.surrogateCalls()).toBe(1);
    // Task 3945's val_accuracy spans [15.986547, 99.62601] in instance_target_statistics.csv.
    expect(last.normalized_regret).toBeCloseTo((99.62601 - (last.val_accuracy as number)) / (99.62601 - 15.986547), 10);
    expect(last.val_accuracy).toBeGreaterThan(0);
    expect(last.val_accuracy).toBeLessThanOrEqual(100);
    expect(last.val_balanced_accuracy).toBeLessThanOrEqual(1);
  });

  it("block-wise curves (the default) give every epoch's metrics and seconds bit for bit as whole ones, from fewer rows", () => {
    // Whole 4-row blocks reproduce the 52-row call on x86's ONNX Runtime; where they would not, curves come whole (same numbers, 52 rows).
    const exact = blockwiseExact(suite.surrogate, suite.data);
    const rng = rngFor(2, "test");
    const space = suite.benchmark("3945").space;
    for (const task of ["3945", "167190", "189908"]) {
      const whole = suite.benchmark(task).objectiveWith({ wholeCurves: true });
      const grown = suite.benchmark(task);
      for (let c = 0; c < 4; c++) {
        const config = sampleConfig(space, () => rng.next());
        const ctx = { iteration: 1, rng, resources: { cpu: 1, gpu: 1 } };
        let a = whole.init(config, rng);
        let b = grown.objective.init(config, rng);
        for (let epoch = 1; epoch <= 52; epoch++) {
          const x = whole.step(a, config, ctx);
          const y = grown.objective.step(b, config, ctx);
          expect(y.metrics, `task ${task} config ${c} epoch ${epoch}`).toEqual(x.metrics);
          expect(y.seconds).toBe(x.seconds);
          a = x.state;
          b = y.state;
        }
      }
      // 4 configs to epoch 52 in blocks: 8 rows (epochs 1-4 and 49-52), then 5-16, then 17-48.
      expect(grown.surrogateCalls()).toBe(exact ? 4 * 3 : 4);
    }
    // A trial stopped at epoch 1 costs 8 rows, not 52.
    const before = suite.surrogate.usage.rows;
    const bench = suite.benchmark("3945");
    bench.objective.step(bench.objective.init(defaultConfig, rng), defaultConfig, { iteration: 1, rng, resources: { cpu: 1, gpu: 1 } });
    expect(suite.surrogate.usage.rows - before).toBe(exact ? 8 : 52);
  });

  it("is deterministic and clamps a PBT-style out-of-bounds value to the bound", () => {
    const bench = suite.benchmark("167190");
    const rng = rngFor(1, "test");
    const ctx = { iteration: 1, rng, resources: { cpu: 1, gpu: 1 } };
    const a = bench.objective.step(bench.objective.init(defaultConfig, rng), defaultConfig, ctx).metrics;
    const b = bench.objective.step({ t: 0 }, { ...defaultConfig }, ctx).metrics;
    expect(a).toEqual(b);
    const outside = bench.objective.step({ t: 0 }, { ...defaultConfig, learning_rate: 5 }, ctx).metrics;
    const atBound = bench.objective.step({ t: 0 }, { ...defaultConfig, learning_rate: 0.1 }, ctx).metrics;
    expect(outside).toEqual(atBound);
  });

  it("rejects bad options and configs with one-line errors naming them", () => {
    expect(() => suite.benchmark("999")).toThrow(/lcbenchObjective.task: unknown LCBench task "999"/);
    expect(() => suite.benchmark("3945", { maxIterations: 53 })).toThrow(OptionError);
    const bench = suite.benchmark("3945");
    expect(() => bench.objective.init({ ...defaultConfig, momentum: Number.NaN }, rngFor(0, "t"))).toThrow(/config.momentum: must be a finite number/);
    expect(() => bench.objective.init({ ...defaultConfig, batch_size: "64" }, rngFor(0, "t"))).toThrow(/config.batch_size/);
  });

  it("runs in the simulator with ASHA: trials stop at rungs, the best is a real accuracy", () => {
    const bench = suite.benchmark("3945");
    const rowsBefore = suite.surrogate.usage.rows;
    const run = simulate({
      objective: bench.objective,
      space: bench.space,
      metric: bench.metric,
      mode: bench.mode,
      trials: 24,
      seed: 3,
      searcher: new RandomSearch(bench.space, { metric: bench.metric, mode: bench.mode, seed: 3 }),
      scheduler: new ASHAScheduler({ metric: bench.metric, mode: bench.mode, maxT: 52, gracePeriod: 1, reductionFactor: 3 }),
      cluster: { gpus: 4 },
      maxIterations: 52,
    });
    expect(run.summary.trials).toBe(24);
    expect(run.summary.results).toBeLessThan(24 * 52);
    expect(run.best!.metric).toBeGreaterThan(50);
    expect(bench.normalizedRegret(run.best!.metric)).toBeGreaterThanOrEqual(-0.05);
    // Each config's first block, then more blocks only for the trials ASHA promotes.
    expect(bench.surrogateCalls()).toBeGreaterThanOrEqual(24);
    expect(suite.surrogate.usage.rows - rowsBefore).toBeLessThan(blockwiseExact(suite.surrogate, suite.data) ? 24 * 52 : 24 * 52 + 1);
  });
});
