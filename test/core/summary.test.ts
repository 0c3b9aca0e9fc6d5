import { describe, expect, it } from "vitest";
import type { Result, TrialView } from "../../core/contracts/index.ts";
import { bestTrial, scopedValue } from "../../core/summary.ts";

const history = (losses: number[]): Result[] =>
  losses.map((loss, i) => ({ trialId: "x", iteration: i + 1, metrics: { loss }, time: i, timeTotal: i }));
const trial = (id: string, losses: number[]) => ({ id, config: { id }, history: history(losses), lastResult: history(losses).at(-1) }) as unknown as TrialView;

describe("experiment summary", () => {
  const a = trial("a", [5, 1, 4]); // best ever 1, last 4
  const b = trial("b", [3, 3, 2]); // last 2
  const c = trial("c", [9, 2.5, 2.5]); // last-2 average 2.5

  it("ranks by last, best ever (all), average and last-N average, as Ray's scope", () => {
    expect(scopedValue(a.history, "loss", "min", "last")).toBe(4);
    expect(scopedValue(a.history, "loss", "min", "all")).toBe(1);
    expect(scopedValue(a.history, "loss", "max", "all")).toBe(5);
    expect(scopedValue(a.history, "loss", "min", "avg")).toBeCloseTo(10 / 3, 12);
    expect(scopedValue(a.history, "loss", "min", "last-2-avg")).toBe(2.5);
    expect(bestTrial([a, b, c], "loss", "min", "last")?.trialId).toBe("b");
    expect(bestTrial([a, b, c], "loss", "min", "all")?.trialId).toBe("a");
    expect(bestTrial([a, b, c], "loss", "max", "last")?.trialId).toBe("a");
    // Averages over all (fewer than 5) results: a 10/3, b 8/3, c 14/3.
    expect(bestTrial([a, b, c], "loss", "min", "last-5-avg")?.trialId).toBe("b");
    // last-2-avg: a, b and c all average 2.5; the tie goes to the earliest trial.
    expect(bestTrial([a, b, c], "loss", "min", "last-2-avg")?.trialId).toBe("a");
  });

  it("breaks ties toward the earlier trial and skips trials without the metric", () => {
    const d = trial("d", [2]);
    expect(bestTrial([b, d], "loss", "min")?.trialId).toBe("b");
    expect(bestTrial([trial("e", [])], "loss", "min")).toBeUndefined();
  });

  it("names a malformed scope", () => {
    expect(() => scopedValue(a.history, "loss", "min", "last-0-avg")).toThrow('scope: must be "last", "all", "avg" or "last-N-avg" with N >= 1, got "last-0-avg"');
  });
});
