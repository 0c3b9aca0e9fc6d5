// Ray Tune #30008: after a node is lost, a trial stays RUNNING for ever. Here a trial's worker is
// SIGKILLed mid-step: the trial is failed at once (or retried), and no trial is left RUNNING,
// neither in the run's result nor in the saved experiment state.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { readSavedState } from "../../core/experiment-dir/index.ts";
import { choice, grid } from "../../core/space/index.ts";
import { tune } from "../../real-backend/index.ts";

const worker = fileURLToPath(new URL("./fixtures/steady-worker.mjs", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The trial workers only, by their command line: test files share a worker process, and
// another file's child (a CLI server, a Redis server) may still be alive.
function children(): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(process.pid), "-f", worker], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

it.each([0, 1])("a worker SIGKILLed mid-run (maxFailures %i): no trial stays RUNNING, in the run or in experiment_state.json", async (maxFailures) => {
  const storagePath = join(mkdtempSync(join(tmpdir(), "tunelab-faults-")), "exp");
  const running = tune({
    trainable: { command: [process.execPath, worker] },
    space: { lr: grid([0.1, 0.2, 0.3, 0.4]), stepMs: choice([20]) },
    metric: "loss",
    mode: "min",
    trials: 4,
    maxIterations: 20,
    checkpointFrequency: 5,
    maxFailures,
    capacity: { cpu: 4, gpu: 0 },
    storagePath,
    progress: false,
  });
  let victim: number | undefined;
  for (let waited = 0; victim === undefined && waited < 30_000; waited += 50) {
    await sleep(50);
    // Kill once all four workers are up and stepping.
    const pids = children();
    if (pids.length === 4) victim = pids[1];
  }
  await sleep(100);
  process.kill(victim as number, "SIGKILL");
  const run = await running;
  expect(run.trials.filter((t) => t.status === "RUNNING")).toEqual([]);
  const failed = run.trials.filter((t) => t.errorMessage !== undefined || (t as unknown as { failures: number }).failures > 0);
  expect(failed).toHaveLength(1);
  if (maxFailures === 0) {
    expect(failed[0]?.status).toBe("ERROR");
    expect(failed[0]?.errorMessage).toMatch(/SIGKILL/);
  } else {
    expect(failed[0]?.status).toBe("TERMINATED");
    expect(failed[0]?.history.map((r) => r.iteration)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  }
  const saved = readSavedState(storagePath).loop as unknown as { trials: { status: string }[] };
  expect(saved.trials.map((t) => t.status).filter((s) => s === "RUNNING" || s === "PENDING")).toEqual([]);
});
