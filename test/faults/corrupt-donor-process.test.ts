import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PopulationBasedTraining } from "../../algorithms/schedulers/index.ts";
import type { ExploitEvent, TuneCallback } from "../../core/callbacks/index.ts";
import type { Result, TrialView } from "../../core/contracts/index.ts";
import { checkpointDirName } from "../../core/experiment-dir/layout.ts";
import { choice, grid, uniform } from "../../core/space/index.ts";
import { tune } from "../../real-backend/index.ts";

const worker = fileURLToPath(new URL("./fixtures/steady-worker.mjs", import.meta.url));

/**
 * ProcessExecutor with real worker processes (the plain-JS steady worker: its metric `t`
 * is the step count its weights have reached). At PBT's first exploit, a callback removes
 * the completion marker of the donor checkpoint being cloned (onExploit is heard before
 * the executor restores). The recipient must load the donor's previous checkpoint
 * instead, with a warning naming both paths, and never the damaged one.
 */
describe("ProcessExecutor: a PBT exploit of a damaged donor checkpoint falls back to the donor's previous one", () => {
  afterEach(() => vi.restoreAllMocks());

  it("the recipient goes on from the donor's previous checkpoint, with a warning naming the damaged path and the one used", async () => {
    const stderr: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const storagePath = join(mkdtempSync(join(tmpdir(), "tunelab-donor-")), "exp");
    let exploit: ExploitEvent | undefined;
    let damaged = "";
    let previous = "";
    let previousIteration = 0;
    let after: Result | undefined;
    const watcher: TuneCallback = {
      name: "damage-donor",
      onExploit: (event) => {
        if (exploit !== undefined || event.donor === event.recipient) return;
        const donorDir = join(storagePath, event.donor);
        const earlier = readdirSync(donorDir)
          .filter((n) => /^checkpoint_\d+$/.test(n))
          .map((n) => Number(n.slice("checkpoint_".length)))
          .filter((i) => i < event.iteration);
        if (earlier.length === 0) return; // the donor's first checkpoint: nothing to fall back to; wait for a later exploit
        exploit = event;
        damaged = join(donorDir, checkpointDirName(event.iteration));
        previousIteration = Math.max(...earlier);
        previous = join(donorDir, checkpointDirName(previousIteration));
        rmSync(join(damaged, "tunelab_checkpoint.json"));
      },
      onTrialResult: (trial: TrialView, result: Result) => {
        if (exploit !== undefined && after === undefined && trial.id === exploit.recipient) after = result;
      },
    };
    const run = await tune({
      trainable: { command: [process.execPath, worker] },
      // lr 2 makes its trial the worst at every iteration (loss (lr - 0.3)^2 + 1/t >= 2.89 against
      // at most 1.04 for the others), so it is in PBT's bottom quantile at its first perturbation
      // however far the others have run: with 0.9 it could be ahead of a slow trial on a loaded
      // machine and be no one's recipient (this test failed that way under load).
      // Steps of 60 ms (16 iterations: about 1 s a trial): PBT exploits only from live trials that
      // saved at their last perturbation, so the population must still be running when the lr 2
      // trial perturbs. With 3 ms steps the others could finish before a worker that started a few
      // hundred ms late reached iteration 4 (failed that way in CI under load).
      space: { lr: grid([0.3, 0.32, 0.5, 2]), stepMs: choice([60]) },
      metric: "loss",
      mode: "min",
      trials: 4,
      maxIterations: 16,
      checkpointFrequency: 2,
      scheduler: new PopulationBasedTraining({
        metric: "loss",
        mode: "min",
        seed: 5,
        timeAttr: "training_iteration",
        perturbationInterval: 4,
        quantileFraction: 0.25,
        hyperparamMutations: { lr: uniform(0, 1) },
      }),
      capacity: { cpu: 4, gpu: 0 },
      storagePath,
      callbacks: [watcher],
      progress: false,
    });
    expect(exploit, "PBT exploited a donor with an earlier checkpoint").toBeDefined();
    const { recipient, donor } = exploit as ExploitEvent;
    const text = stderr.join("");
    expect(text).toContain(`trial ${recipient}: checkpoint ${damaged} is unusable`);
    expect(text).toContain(`restoring ${donor}'s previous checkpoint ${previous} instead`);
    // The recipient's next result comes from the donor's weights at the previous checkpoint, not the damaged one's.
    expect(after?.metrics["t"]).toBe(previousIteration + 1);
    for (const trial of run.trials) expect(trial.status, trial.id).toBe("TERMINATED");
    expect((run.trials.find((t) => t.id === recipient) as unknown as { failures: number }).failures).toBe(0);
  });
});
