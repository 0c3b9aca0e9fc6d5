import { describe, expect, it, vi } from "vitest";
import { PB2 } from "../../../algorithms/schedulers/index.ts";
import { pb2Models, pb2ModelsReusing, type SelectConfigInput } from "../../../algorithms/schedulers/pb2/select-config.ts";
import { OptionError } from "../../../core/contracts/index.ts";
import { lcg, Pb2Probe, trialView } from "./pb2-probe.ts";

// Records what PB2 hands its model step, and whether it reused a fit; the step itself runs unchanged.
const calls = vi.hoisted(() => [] as Array<{ input: SelectConfigInput; reused: boolean }>);
vi.mock("../../../algorithms/schedulers/pb2/select-config.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../algorithms/schedulers/pb2/select-config.ts")>();
  return {
    ...original,
    selectConfigReusing: (input: SelectConfigInput, reuse: Parameters<typeof original.selectConfigReusing>[1]) => {
      calls.push({ input, reused: reuse !== null });
      return original.selectConfigReusing(input, reuse);
    },
  };
});


/** Two trials with data at times 10 and 20, so the donor b has a usable row; then `picks` exploits at the same time (one round). */
function probeRun(model: Record<string, number>, picks: number): Pb2Probe {
  const probe = new Pb2Probe({ metric: "m", mode: "max", seed: 3, hyperparamBounds: { lr: [0, 1], clip: [0, 1] }, model: { fitEvaluations: 15, acquisitionStarts: 2, acquisitionEvaluations: 15, ...model } });
  const a = trialView("a", { lr: 0.2, clip: 0.5 });
  const b = trialView("b", { lr: 0.7, clip: 0.1 });
  probe.point(a, 10, 1);
  probe.point(b, 10, 2);
  probe.point(a, 20, 2);
  probe.point(b, 20, 5);
  calls.length = 0;
  for (let i = 0; i < picks; i++) probe.pick(trialView(`c${i}`, { lr: 0.5, clip: 0.5 }), b);
  return probe;
}

describe("PB2 model settings", () => {
  it("rejects a bad or unknown setting with a one-line error naming it", () => {
    const build = (model: unknown) => () => new PB2({ metric: "m", mode: "max", hyperparamBounds: { lr: [0, 1] }, model: model as never });
    expect(build({ refitPeriod: 0 })).toThrow(new OptionError("PB2.model.refitPeriod", "must be an integer >= 1, got 0"));
    expect(build({ maxRows: 2.5 })).toThrow(/PB2\.model\.maxRows: must be an integer >= 1, got 2\.5/);
    expect(build({ maxPending: -1 })).toThrow(/PB2\.model\.maxPending/);
    expect(build({ maxPending: NaN })).toThrow(/PB2\.model\.maxPending/);
    expect(build({ fitEvaluations: "30" })).toThrow(/PB2\.model\.fitEvaluations/);
    expect(build({ refitPerod: 3 })).toThrow(/PB2\.model\.refitPerod: is not a setting/);
    expect(build(7)).toThrow(/PB2\.model: must be an object/);
    expect(build({ maxPending: Infinity, maxPending2: undefined })).toThrow(/maxPending2/);
    expect(build({ maxPending: Infinity, refitPeriod: 5, maxRows: 100 })).not.toThrow();
  });
});

describe("PB2 model reuse (refitPeriod)", () => {
  it("searches at one exploit in refitPeriod and reuses the fit between, through save and restore", () => {
    const probe = probeRun({ refitPeriod: 3 }, 4);
    expect(calls.map((c) => c.reused)).toEqual([false, true, true, false]);
    expect(probe.extra()["sinceModelSearch"]).toBe(0);
    // A restored copy continues the count: the next pick reuses the fit the original made.
    const copy = new Pb2Probe({ metric: "m", mode: "max", seed: 3, hyperparamBounds: { lr: [0, 1], clip: [0, 1] }, model: { fitEvaluations: 15, acquisitionStarts: 2, acquisitionEvaluations: 15, refitPeriod: 3 } });
    copy.restore(probe.save());
    calls.length = 0;
    const b = trialView("b", { lr: 0.7, clip: 0.1 });
    const next = copy.pick(trialView("d", { lr: 0.5, clip: 0.5 }), b);
    expect(calls.map((c) => c.reused)).toEqual([true]);
    expect(next).toEqual(probe.pick(trialView("d", { lr: 0.5, clip: 0.5 }), b));
  });

  it("refitPeriod 1 (the default) searches at every exploit, as Ray's PB2, and saves no fit", () => {
    const probe = probeRun({}, 3);
    expect(calls.map((c) => c.reused)).toEqual([false, false, false]);
    expect(probe.extra()["modelFit"]).toBeUndefined();
  });

  it("conditions both GPs on the current data with the search's window and hyperparameters: the same posterior as the search's on the same data", () => {
    const random = lcg(11);
    const n = 260;
    const x = new Float64Array(n * 3);
    const y = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      x[r * 3] = 1 + Math.floor(r / 20);
      x[r * 3 + 1] = random();
      x[r * 3 + 2] = random();
      y[r] = Math.sin(6 * (x[r * 3 + 2] as number)) + 0.1 * random();
    }
    const input: SelectConfigInput = {
      x,
      y,
      current: Float64Array.of(0.3, 0.8),
      newpoint: [13, 0.5],
      bounds: [[0, 1]],
      random: lcg(5),
      settings: { fitEvaluations: 40, refitEvaluations: 10, windowStep: 30 },
    };
    const searched = pb2Models(input);
    expect(searched.fit.windowLength).not.toBeNull();
    const reused = pb2ModelsReusing(input, searched.fit);
    expect(reused.fit).toBe(searched.fit);
    expect(reused.model.n).toBe(searched.model.n);
    expect(reused.model.parameters.lengthscale).toBeLessThanOrEqual(1);
    for (const h of [0.1, 0.5, 0.9]) {
      const z = Float64Array.of(searched.fixed[0] as number, searched.fixed[1] as number, h);
      expect(reused.model.predict(z)).toEqual(searched.model.predict(z));
      expect(reused.batchModel.predict(z)).toEqual(searched.batchModel.predict(z));
    }
    // More data later: the reused window keeps its length (the latest rows), not every row.
    const longer = pb2ModelsReusing({ ...input, x: Float64Array.of(...x, ...x.subarray(0, 90)), y: Float64Array.of(...y, ...y.subarray(0, 30)) }, searched.fit);
    expect(longer.model.n).toBe(searched.fit.windowLength);
  });
});

describe("PB2 maxPending", () => {
  it("hands the batch GP only the latest maxPending picks of the round", () => {
    probeRun({ maxPending: 2 }, 5);
    expect(calls.map((c) => (c.input.current?.length ?? 0) / 2)).toEqual([0, 1, 2, 2, 2]);
    // The kept ones are the latest: the fourth pick sees the second and third picks.
    const third = calls[2]?.input.current as Float64Array;
    const fourth = calls[3]?.input.current as Float64Array;
    expect(Array.from(fourth.subarray(0, 2))).toEqual(Array.from(third.subarray(2, 4)));
  });

  it("holds every pick by default (Ray's rule)", () => {
    probeRun({}, 4);
    expect(calls.map((c) => (c.input.current?.length ?? 0) / 2)).toEqual([0, 1, 2, 3]);
  });
});
