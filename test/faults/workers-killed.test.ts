import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { rngFor } from "../../core/rng.ts";
import { choice, uniform } from "../../core/space/index.ts";
import { tune, type TuneOptions } from "../../real-backend/index.ts";
import { loadExperiment } from "../../results/index.ts";

const worker = fileURLToPath(new URL("./fixtures/steady-worker.mjs", import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-faults-"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const STEPS = 30;

function options(storagePath: string): TuneOptions {
  const space = { lr: uniform(0, 1), stepMs: choice([4]) };
  return {
    trainable: { command: [process.execPath, worker] },
    space,
    searcher: new RandomSearch(space, { metric: "loss", mode: "min", seed: 2 }),
    metric: "loss",
    mode: "min",
    trials: 20,
    maxIterations: STEPS,
    checkpointFrequency: 5,
    maxFailures: -1,
    seed: 2,
    capacity: { cpu: 4, gpu: 0 },
    storagePath,
    progress: false,
  };
}

/**
 * This process's worker children (the trial processes ProcessExecutor spawned), by their
 * command line: test files share a worker process, and another file's child may still be alive.
 */
function workers(): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(process.pid), "-f", worker], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

it("SIGKILLing a random worker >= 50 times: every trial ends TERMINATED at its last iteration, iterations 1..30 once each, the same best as an uninterrupted run", async () => {
  const reference = await tune(options(join(tmp(), "ref")));
  const dir = join(tmp(), "killed");
  const rng = rngFor(7, "worker-kills");
  let kills = 0;
  let finished = false;
  const killer = (async () => {
    while (!finished && kills < 60) {
      await sleep(10 + rng.next() * 60);
      const pids = workers();
      if (pids.length === 0 || finished) continue;
      try {
        process.kill(pids[Math.floor(rng.next() * pids.length)] as number, "SIGKILL");
        kills++;
      } catch {
        // it exited between pgrep and the kill
      }
    }
  })();
  const run = await tune(options(dir)).finally(() => (finished = true));
  await killer;
  expect(kills).toBeGreaterThanOrEqual(50);
  expect(run.summary.failures).toBeGreaterThanOrEqual(1);
  for (const trial of run.trials) {
    expect(trial.status).toBe("TERMINATED");
    expect(trial.history.map((r) => r.iteration)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
  }
  // On disk too: re-done results are marked, so each iteration shows once.
  for (const trial of loadExperiment(dir).trials) {
    expect(trial.results.map((r) => r.training_iteration)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
  }
  expect(run.best?.trialId).toBe(reference.best?.trialId);
  expect(run.best?.metric).toBe(reference.best?.metric);
  console.log(`faults_worker_kills=${kills} trial_failures=${run.summary.failures} redone_iterations=${run.summary.redoneIterations} results_lost=0`);
});
