import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PopulationBasedTraining } from "../../algorithms/schedulers/index.ts";
import { uniform } from "../../core/space/index.ts";
import { ProcessExecutor } from "../../real-backend/process/process-executor.ts";
import { drive } from "../real-backend/process/drive.ts";

const PYTHON = "/usr/bin/python3";
const script = fileURLToPath(new URL("../../examples/python/train_quadratic.py", import.meta.url));
const hasPython = existsSync(PYTHON);
if (!hasPython) console.warn(`skipping the Python trainable tests: ${PYTHON} (Debian's python3) is missing; apt-get install python3`);

/** What the example computes: gradient descent on (w - 3)^2 from w = 0. */
function expectedLosses(lr: number, n: number): number[] {
  let w = 0;
  return Array.from({ length: n }, () => {
    w -= lr * 2 * (w - 3);
    return (w - 3) ** 2;
  });
}

describe.skipIf(!hasPython)("examples/python/train_quadratic.py through the protocol (Debian python3)", () => {
  it("runs trials to their exact metrics, with the trainable's prints in stdout.log", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunelab-py-"));
    const loop = await drive({
      executor: new ProcessExecutor({ trainable: { command: [PYTHON, script] }, seed: 2, experimentDir: dir, capacity: { cpu: 1, gpu: 0 } }),
      metric: "loss",
      mode: "min",
      trials: 3,
      maxIterations: 5,
      searchSpace: { lr: uniform(0.01, 0.4) },
    });
    for (const t of loop.trials) {
      expect(t.status).toBe("TERMINATED");
      const losses = t.history.map((r) => r.metrics["loss"] as number);
      expectedLosses(t.config["lr"] as number, 5).forEach((l, k) => expect(losses[k]).toBeCloseTo(l, 12));
    }
    expect(readFileSync(join(dir, loop.trials[2]?.id ?? "", "stdout.log"), "utf8")).toContain("iteration 5 w=");
  });

  it("PBT exploits restore another trial's checkpoint into the Python trainable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunelab-py-"));
    const scheduler = new PopulationBasedTraining({
      metric: "loss",
      mode: "min",
      seed: 4,
      timeAttr: "training_iteration",
      perturbationInterval: 2,
      quantileFraction: 0.25,
      hyperparamMutations: { lr: uniform(0.01, 0.4) },
    });
    const loop = await drive({
      executor: new ProcessExecutor({ trainable: { command: [PYTHON, script] }, seed: 4, experimentDir: dir, capacity: { cpu: 2, gpu: 0 } }),
      metric: "loss",
      mode: "min",
      trials: 4,
      maxIterations: 6,
      scheduler,
      searchSpace: { lr: uniform(0.01, 0.4) },
    });
    const exploits = scheduler.policyLog();
    expect(exploits.length).toBeGreaterThan(0);
    // After an exploit the clone continues from the donor's w: its loss at the next iteration is one
    // gradient step (with its new lr) from the donor's loss at the donor's checkpoint.
    let checked = 0;
    for (const e of exploits) {
      const donorLoss = loop.trials.find((t) => t.id === e.donorId)?.history.find((r) => r.iteration === e.donorIteration)?.metrics["loss"] as number;
      const clone = loop.trials.find((t) => t.id === e.trialId);
      const next = clone?.history.find((r) => r.iteration === e.donorIteration + 1);
      if (next === undefined) continue;
      const lr = e.config["lr"] as number;
      const w = 3 - Math.sqrt(donorLoss); // w approaches 3 from below for lr < 0.5
      const expected = (w - lr * 2 * (w - 3) - 3) ** 2;
      expect(next.metrics["loss"]).toBeCloseTo(expected, 9);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    expect(loop.trials.every((t) => t.status === "TERMINATED")).toBe(true);
  });

  it.each([
    ["raises", /^RuntimeError: CUDA out of memory\. Tried to allocate 2\.00 GiB$/, 1],
    ["nan", /^ValueError: metric 'loss' is not finite: nan$/, 0],
    ["exits", /^actor process exited with code 139; last stderr: segfault-ish$/, 1],
  ])("a Python trainable that %s fails its trial with one line", async (mode, message, results) => {
    const bad = fileURLToPath(new URL("../real-backend/process/fixtures/python_misbehaves.py", import.meta.url));
    const loop = await drive({
      executor: new ProcessExecutor({ trainable: { command: [PYTHON, bad, mode as string] }, seed: 2, experimentDir: mkdtempSync(join(tmpdir(), "tunelab-py-")), capacity: { cpu: 1, gpu: 0 } }),
      metric: "loss",
      mode: "min",
      trials: 1,
      maxIterations: 3,
    });
    expect(loop.trials[0]?.status).toBe("ERROR");
    expect(loop.trials[0]?.errorMessage).toMatch(message as RegExp);
    expect(loop.trials[0]?.history).toHaveLength(results as number);
  });
});
