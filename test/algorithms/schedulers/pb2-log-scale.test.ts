import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { PB2, boundsFromSpace, integerKeysFromSpace } from "../../../algorithms/schedulers/index.ts";
import { fromModelUnits, modelBounds, resolveHyperparams, toModelUnits, type Pb2Hyperparam } from "../../../algorithms/schedulers/pb2/hyperparams.ts";
import { choice, loguniform, lograndint, qloguniform, qlograndint, randint, uniform } from "../../../core/space/index.ts";
import { rlReturnObjective } from "../../../benchmarks/objectives/index.ts";
import { simulate } from "../../../simulator/index.ts";
import type { SelectConfigInput } from "../../../algorithms/schedulers/pb2/select-config.ts";
import { lcg, Pb2Probe, trialView } from "./pb2-probe.ts";

// Records what PB2 hands its model step; the step itself runs unchanged.
const modelInputs = vi.hoisted(() => [] as SelectConfigInput[]);
vi.mock("../../../algorithms/schedulers/pb2/select-config.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../algorithms/schedulers/pb2/select-config.ts")>();
  return {
    ...original,
    selectConfigReusing: (input: SelectConfigInput, reuse: Parameters<typeof original.selectConfigReusing>[1]) => {
      modelInputs.push(input);
      return original.selectConfigReusing(input, reuse);
    },
  };
});

const logScale = (low: number, high: number, integer = false): Pb2Hyperparam => ({ key: "h", low, high, log: true, integer });


describe("PB2 log-scale bounds: the mapping", () => {
  it("round-trips a value through the GP's units, and the GP's midpoint is the geometric mean", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -8, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 8, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (lowExp, decades, u) => {
          const h = logScale(10 ** lowExp, 10 ** (lowExp + decades));
          const [lo, hi] = modelBounds(h);
          const value = Math.min(h.high, Math.max(h.low, Math.exp(lo + u * (hi - lo))));
          expect(fromModelUnits(h, toModelUnits(h, value)) / value).toBeCloseTo(1, 12);
          // Linear normalisation would put the midpoint at (low + high) / 2.
          expect(fromModelUnits(h, (lo + hi) / 2) / Math.sqrt(h.low * h.high)).toBeCloseTo(1, 12);
        },
      ),
    );
  });

  it("feeds the GP ln(value) within [ln low, ln high], and leaves a linear bound alone", () => {
    const h = logScale(1e-5, 1e-3);
    expect(modelBounds(h)).toEqual([Math.log(1e-5), Math.log(1e-3)]);
    expect(toModelUnits(h, 1e-4)).toBe(Math.log(1e-4));
    const linear: Pb2Hyperparam = { ...h, log: false };
    expect(modelBounds(linear)).toEqual([1e-5, 1e-3]);
    expect(toModelUnits(linear, 1e-4)).toBe(1e-4);
    expect(fromModelUnits(linear, 5e-4)).toBe(5e-4);
  });

  it("clamps into the bounds after the exp, then rounds integers in value space", () => {
    const h = logScale(1, 100, true);
    // Rounding in log space first would give exp(round(ln 5.4)) = exp(2) = 7.39.
    expect(fromModelUnits(h, Math.log(5.4))).toBe(5);
    expect(fromModelUnits(h, Math.log(5.6))).toBe(6);
    expect(fromModelUnits(h, Math.log(1000))).toBe(100);
    expect(fromModelUnits(h, Math.log(0.5))).toBe(1);
    // Exp of ln(high) need not give high back exactly: still in bounds.
    const real = logScale(1e-5, 1e-3);
    expect(fromModelUnits(real, Math.log(1e-3))).toBeLessThanOrEqual(1e-3);
    expect(fromModelUnits(real, Math.log(1e-5))).toBeGreaterThanOrEqual(1e-5);
    fc.assert(
      fc.property(fc.double({ min: Math.log(0.1), max: Math.log(1e4), noNaN: true }), (m) => {
        const value = fromModelUnits(logScale(3, 4097, true), m);
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(3);
        expect(value).toBeLessThanOrEqual(4097);
      }),
    );
  });

  it("validates log bounds, naming the option, and defaults log to false", () => {
    expect(() => new PB2({ metric: "m", mode: "max", hyperparamBounds: { lr: { low: 0, high: 1, log: true } } })).toThrow(
      "PB2.hyperparamBounds.lr: log scale needs 0 < low, got low=0",
    );
    expect(() => new PB2({ metric: "m", mode: "max", hyperparamBounds: { lr: { low: 1, high: 0.5, log: true } } })).toThrow(
      "PB2.hyperparamBounds.lr: must be [low, high] with low < high",
    );
    expect(() => new PB2({ metric: "m", mode: "max", hyperparamBounds: { lr: { low: 1, high: 2, log: "yes" as unknown as boolean } } })).toThrow(
      "PB2.hyperparamBounds.lr.log: must be a boolean",
    );
    expect(resolveHyperparams({ lr: { low: 0, high: 1 }, b: [1, 8] }, ["b"], "PB2")).toEqual([
      { key: "lr", low: 0, high: 1, log: false, integer: false },
      { key: "b", low: 1, high: 8, log: false, integer: true },
    ]);
  });

  it("rejects a non-positive config value of a log-scale hyperparameter at the trial that reports it", () => {
    const probe = new Pb2Probe({ metric: "m", mode: "max", hyperparamBounds: { lr: { low: 1e-5, high: 1e-3, log: true } } });
    expect(() => probe.point(trialView("a", { lr: 0 }), 10, 1)).toThrow('config.lr: PB2 models "lr" on a log scale and needs a positive value, got 0');
  });
});

describe("PB2 log-scale bounds: the choice", () => {
  /**
   * 40 segments, each a trial at one lr (log-uniform over 4 decades) whose reward
   * grows at a rate peaking at lr = 1e-4 (a Gaussian bump in log10 lr); its reward
   * before is random, so only lr explains the rate. The next pick for the last segment.
   */
  function pickAfterBump(log: boolean, seed: number): number {
    const probe = new Pb2Probe({
      metric: "m",
      mode: "max",
      seed,
      hyperparamBounds: { lr: { low: 1e-5, high: 1e-1, log } },
      model: { fitEvaluations: 200, acquisitionStarts: 5, acquisitionEvaluations: 100 },
    });
    const random = lcg(seed);
    const rate = (lr: number) => Math.exp(-0.5 * ((Math.log10(lr) + 4) / 0.5) ** 2);
    const segments = 40;
    let donor = trialView("", {});
    for (let i = 0; i < segments; i++) {
      const lr = 10 ** (-5 + (4 * (i + random())) / segments);
      const before = 100 * random();
      const time = 10 * Math.floor(i / 8);
      donor = trialView(`s${i}`, { lr });
      probe.point(donor, time, before);
      probe.point(donor, time + 10, before + 10 * rate(lr));
    }
    return probe.pick(trialView("bottom", { lr: 1e-2 }), donor)["lr"] as number;
  }

  it("models and picks in log space: the pick lands near the log-scale optimum, where linear scaling goes to a corner", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const lr = pickAfterBump(true, seed);
      expect(Math.abs(Math.log10(lr) + 4), `seed ${seed}: lr ${lr}`).toBeLessThan(0.3);
    }
    // The same data linearly normalised: 1e-4 sits at 0.09% of the range and the GP cannot see the bump.
    const linear = pickAfterBump(false, 1);
    expect(Math.abs(Math.log10(linear) + 4)).toBeGreaterThan(0.9);
  });

  it("hands the GP ln(value) for the data, this round's earlier picks and the bounds; a linear key stays raw", () => {
    const probe = new Pb2Probe({
      metric: "m",
      mode: "max",
      hyperparamBounds: { lr: { low: 1e-5, high: 1e-3, log: true }, clip: [0.1, 0.5] },
      model: { fitEvaluations: 20, acquisitionStarts: 2, acquisitionEvaluations: 20 },
    });
    const a = trialView("a", { lr: 2e-5, clip: 0.2 });
    const b = trialView("b", { lr: 4e-4, clip: 0.3 });
    probe.point(a, 10, 1);
    probe.point(b, 10, 2);
    probe.point(a, 20, 2);
    probe.point(b, 20, 5);
    modelInputs.length = 0;
    const first = probe.pick(trialView("a", { lr: 2e-5, clip: 0.2 }), b);
    probe.pick(trialView("c", { lr: 1e-4, clip: 0.4 }), b);
    expect(modelInputs).toHaveLength(2);
    const [input, second] = modelInputs as [SelectConfigInput, SelectConfigInput];
    expect(input.bounds).toEqual([
      [Math.log(1e-5), Math.log(1e-3)],
      [0.1, 0.5],
    ]);
    // Rows [time, reward before, ln lr, clip], oldest first (a's then b's reward change at time 20).
    expect(Array.from(input.x)).toEqual([20, 1, Math.log(2e-5), 0.2, 20, 2, Math.log(4e-4), 0.3]);
    expect(input.current).toBeNull();
    expect(Array.from(second.current ?? [])).toEqual([Math.log(first["lr"] as number), first["clip"] as number]);
    expect(first["lr"] as number).toBeGreaterThanOrEqual(1e-5);
    expect(first["lr"] as number).toBeLessThanOrEqual(1e-3);
  });

  it("keeps a log-scale integer hyperparameter integral and inside its bounds through a run", () => {
    const bench = rlReturnObjective();
    const scheduler = new PB2({
      metric: bench.metric,
      mode: "max",
      seed: 4,
      perturbationInterval: 120,
      hyperparamBounds: { ...boundsFromSpace(bench.space), train_batch_size: { low: 1000, high: 60000, log: true } },
      integerHyperparams: ["train_batch_size"],
      model: { fitEvaluations: 30, acquisitionStarts: 3, acquisitionEvaluations: 60 },
    });
    simulate({ objective: bench.objective, space: bench.space, metric: bench.metric, mode: "max", trials: 4, seed: 4, scheduler, cluster: { gpus: 4 }, maxIterations: 80 });
    const picks = scheduler.policyLog().map((entry) => entry.config);
    expect(picks.length).toBeGreaterThan(2);
    for (const config of picks) {
      const batch = config["train_batch_size"] as number;
      expect(Number.isInteger(batch), String(batch)).toBe(true);
      expect(batch).toBeGreaterThanOrEqual(1000);
      expect(batch).toBeLessThanOrEqual(60000);
      expect(config["lr"] as number).toBeGreaterThanOrEqual(1e-5);
      expect(config["lr"] as number).toBeLessThanOrEqual(1e-3);
    }
  });
});

describe("boundsFromSpace", () => {
  it("carries log from the space's log domains, so the CLI's PB2 models them in log space", () => {
    const space = {
      lr: loguniform(1e-5, 1e-3),
      step: qloguniform(1e-4, 1e-1, 1e-4),
      width: lograndint(8, 1025),
      depth: qlograndint(2, 64, 2),
      batch: randint(1000, 60001),
      clip: uniform(0.1, 0.5),
      optimizer: choice(["adam", "sgd"]),
    };
    expect(boundsFromSpace(space)).toEqual({
      lr: { low: 1e-5, high: 1e-3, log: true },
      step: { low: 1e-4, high: 0.1, log: true },
      width: { low: 8, high: 1024, log: true },
      depth: { low: 2, high: 64, log: true },
      batch: [1000, 60000],
      clip: [0.1, 0.5],
    });
    expect(integerKeysFromSpace(space)).toEqual(["width", "depth", "batch"]);
    // rl-return declares lr loguniform: PB2 from its space models lr in log space.
    expect(boundsFromSpace(rlReturnObjective().space)["lr"]).toEqual({ low: 1e-5, high: 1e-3, log: true });
  });
});
