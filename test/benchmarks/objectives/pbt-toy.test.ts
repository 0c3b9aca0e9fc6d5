import { describe, expect, it } from "vitest";
import { benchmarkByName, pbtToyClosedForm, pbtToyObjective } from "../../../benchmarks/objectives/index.ts";
import { seededStream } from "./_seeded-stream.ts";

describe("pbt-toy objective", () => {
  it("with h fixed, Q follows the closed form: 0.3897 after 200 steps, tending to 0.39", () => {
    const { objective } = pbtToyObjective();
    const rng = seededStream(1);
    for (const config of [{ h0: 1, h1: 0 }, { h0: 0, h1: 1 }]) {
      let state = objective.init(config, rng);
      let q = 0;
      for (let t = 1; t <= 200; t++) {
        const out = objective.step(state, config, { iteration: t, rng, resources: { cpu: 1, gpu: 1 } });
        state = out.state;
        q = out.metrics["Q"] as number;
      }
      expect(q).toBeCloseTo(0.3897, 4);
      expect(q).toBeCloseTo(pbtToyClosedForm(config.h0, config.h1, 200), 12);
    }
    expect(pbtToyClosedForm(1, 0, 100_000)).toBeCloseTo(0.39, 12);
    expect(pbtToyClosedForm(1, 1, 200)).toBeGreaterThan(1.19);
  });

  it("state depends on the whole schedule of h and round-trips through structuredClone exactly", () => {
    const { objective } = pbtToyObjective();
    const rng = seededStream(2);
    const ctx = { iteration: 1, rng, resources: { cpu: 1, gpu: 1 } };
    let a = objective.init({}, rng);
    a = objective.step(a, { h0: 1, h1: 0 }, ctx).state;
    a = objective.step(a, { h0: 0, h1: 1 }, ctx).state;
    expect(a.theta0).toBeCloseTo(0.9 * 0.98, 15);
    expect(a.theta1).toBeCloseTo(0.9 * 0.98, 15);
    const copy = structuredClone(a);
    expect(objective.step(copy, { h0: 0.5, h1: 0.5 }, ctx)).toEqual(objective.step(a, { h0: 0.5, h1: 0.5 }, ctx));
  });

  it("is in the registry, maximising Q with optimum 1.2, and rejects a missing h", () => {
    const bench = benchmarkByName("pbt-toy");
    expect(bench).toMatchObject({ metric: "Q", mode: "max", optimum: 1.2 });
    const rng = seededStream(3);
    expect(() => bench.objective.step(bench.objective.init({}, rng), { h0: 1 }, { iteration: 1, rng, resources: { cpu: 1, gpu: 1 } })).toThrow(
      "config.h1: must be a finite number, got undefined",
    );
  });
});
