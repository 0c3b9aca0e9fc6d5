import { describe, expect, it } from "vitest";
import { pbtToyClosedForm } from "../../../benchmarks/objectives/index.ts";
import { runToy, toyPbt } from "./pbt-fixtures.ts";

describe("PBT on the toy of Jaderberg et al. 2017 (Fig. 2)", () => {
  it("grid search (h fixed at (1, 0) and (0, 1)) stays below 0.40: Q = 0.3897 after 200 steps", () => {
    const { run } = runToy(0);
    expect(run.best?.metric).toBeCloseTo(pbtToyClosedForm(1, 0, 200), 12);
    expect(run.best?.metric).toBeCloseTo(0.3897, 4);
    expect(run.best?.metric).toBeLessThan(0.4);
    for (const trial of run.trials) expect(trial.history).toHaveLength(200);
  });

  it("PBT's best Q exceeds 1.1 within 200 steps for each of 10 seeds", () => {
    for (let seed = 0; seed < 10; seed++) {
      const { run, pbt } = runToy(seed, toyPbt(seed));
      const best = Math.max(...run.trials.flatMap((t) => t.history.filter((r) => r.iteration <= 200).map((r) => r.metrics["Q"] as number)));
      expect(best, `seed ${seed}`).toBeGreaterThan(1.1);
      expect(pbt!.policyLog().length, `seed ${seed}`).toBeGreaterThan(0);
    }
  });
});
