import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { uniform } from "../../core/space/index.ts";
import { TimeoutStopper } from "../../core/stoppers/index.ts";
import { tune, type Trainable } from "../../real-backend/index.ts";

const space = { x: uniform(0, 1) };

/** A step that sleeps `seconds` from its second iteration on (unref'd, so a test worker can still exit). */
function sleeper(seconds: number): Trainable<{ t: number }> {
  return {
    name: "sleeper",
    init: () => ({ t: 0 }),
    step: async (state) => {
      if (state.t >= 1) await new Promise((r) => setTimeout(r, seconds * 1000).unref());
      return { metrics: { loss: state.t }, state: { t: state.t + 1 } };
    },
  };
}

describe("the in-process backend never hangs", () => {
  it("stepTimeoutSeconds fails a trial whose step does not return, naming the limit", async () => {
    const started = performance.now();
    const run = await tune({ trainable: sleeper(60), space, metric: "loss", mode: "min", trials: 2, stepTimeoutSeconds: 0.3 });
    expect((performance.now() - started) / 1000).toBeLessThan(10);
    for (const trial of run.trials) {
      expect(trial.status).toBe("ERROR");
      expect(trial.errorMessage).toBe("sleeper: step did not finish within stepTimeoutSeconds=0.3");
      expect(trial.history.map((r) => r.iteration)).toEqual([1]);
    }
  });

  it("a TimeoutStopper ends the experiment while a step is still running", async () => {
    const started = performance.now();
    const run = await tune({ trainable: sleeper(60), space, metric: "loss", mode: "min", trials: 2, stoppers: [new TimeoutStopper(1)] });
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThan(5);
    expect(run.trials.map((t) => t.status)).toEqual(["TERMINATED", "TERMINATED"]);
  });

  it("a step whose promise can never settle fails its trial instead of ending the process with no output", () => {
    const fixture = join(import.meta.dirname, "_fixtures", "never-settles.ts");
    const child = spawnSync(process.execPath, ["--import", "tsx", fixture], { encoding: "utf8", timeout: 60_000 });
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual([
      { status: "ERROR", iterations: 1, error: "stuck: step returned a promise that never settles (the process had nothing left to wait for)" },
      { status: "TERMINATED", iterations: 3, error: null },
    ]);
  });

  it("stepTimeoutSeconds is checked where it is given", async () => {
    await expect(tune({ trainable: sleeper(0), space, metric: "loss", mode: "min", trials: 1, stepTimeoutSeconds: 0 })).rejects.toThrow(
      "stepTimeoutSeconds: must be a finite number > 0, got 0",
    );
  });
});
