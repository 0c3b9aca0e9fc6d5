import { describe, expect, it } from "vitest";
import { OptionError } from "../../core/errors/index.ts";
import { tune } from "../../real-backend/index.ts";
import { simulate } from "../../simulator/index.ts";
import { countingObjective, countingSpace } from "../_helpers/objectives.ts";

/** The experiment's own options are blamed by their own names, not by the default searcher's. */
describe("simulate() and tune() name the option the user gave", () => {
  it.each([
    [{ mode: "MIN" }, "mode", 'mode: must be "min" or "max", got "MIN"'],
    [{ metric: "" }, "metric", 'metric: needs a non-empty metric name, got ""'],
  ])("simulate(%j)", (bad, field, message) => {
    const run = () => simulate({ objective: countingObjective, space: countingSpace, metric: "loss", mode: "min", trials: 2, ...bad } as never);
    expect(run).toThrow(OptionError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect((error as OptionError).field).toBe(field);
    }
  });

  it("tune({ mode: 'MIN' })", async () => {
    const run = tune({ trainable: countingObjective, space: countingSpace, metric: "loss", mode: "MIN" as never, trials: 2 });
    await expect(run).rejects.toThrow('mode: must be "min" or "max", got "MIN"');
    await expect(run).rejects.toMatchObject({ field: "mode" });
  });
});
