import { describe, expect, it } from "vitest";
import { FIFOScheduler } from "../../../algorithms/schedulers/index.ts";
import { CONTINUE } from "../../../core/contracts/index.ts";
import type { TrialView } from "../../../core/contracts/index.ts";

const trial = (id: string, status: TrialView["status"]) => ({ id, status }) as TrialView;

describe("FIFOScheduler (Ray Tune's)", () => {
  it("always continues", () => {
    const s = new FIFOScheduler();
    expect(s.onTrialResult(trial("a", "RUNNING"), { trialId: "a", iteration: 1, metrics: { loss: 1 }, time: 0, timeTotal: 0 })).toBe(CONTINUE);
  });

  it("runs the first PENDING trial before any PAUSED one, in candidate order", () => {
    const s = new FIFOScheduler();
    const candidates = [trial("p1", "PAUSED"), trial("n1", "PENDING"), trial("n2", "PENDING")];
    expect(s.chooseTrialToRun(candidates)?.id).toBe("n1");
    expect(s.chooseTrialToRun([trial("p1", "PAUSED"), trial("p2", "PAUSED")])?.id).toBe("p1");
    expect(s.chooseTrialToRun([])).toBeUndefined();
  });

  it("has no state to lose", () => {
    const s = new FIFOScheduler();
    expect(s.save()).toBeNull();
    expect(() => s.restore(null)).not.toThrow();
  });
});
