import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { choice, grid } from "../../core/space/index.ts";
import { tune, type TuneOptions } from "../../real-backend/index.ts";
import { loadExperiment } from "../../results/index.ts";

const worker = fileURLToPath(new URL("./fixtures/steady-worker.mjs", import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-faults-"));
const ITERATIONS = Array.from({ length: 12 }, (_, i) => i + 1);

/** Each trial saves at 3 and 6, then at step 8 its worker damages its checkpoints (per `corrupt`) and dies. */
function options(corrupt: readonly string[], maxFailures: number): TuneOptions & { space: Record<string, unknown> } {
  const storagePath = join(tmp(), "exp");
  return {
    trainable: { command: [process.execPath, worker] },
    space: { corrupt: grid(corrupt), lr: choice([0.5]), stepMs: choice([1]), crashAt: choice([8]), markerDir: choice([tmp()]) },
    metric: "loss",
    mode: "min",
    trials: corrupt.length,
    maxIterations: 12,
    checkpointFrequency: 3,
    maxFailures,
    capacity: { cpu: corrupt.length, gpu: 0 },
    storagePath,
    progress: false,
  };
}

describe("a corrupt checkpoint is never loaded", () => {
  let stderr: string[] = [];
  afterEach(() => vi.restoreAllMocks());
  const captureStderr = () => {
    stderr = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  };

  it("truncated file, missing completion marker, deleted directory: back to the previous checkpoint with a warning; none left: from scratch, one more failure", async () => {
    captureStderr();
    const given = options(["truncate", "marker", "delete", "all"], -1);
    const run = await tune(given);
    const byCorrupt = new Map(run.trials.map((t) => [t.config["corrupt"] as string, t]));
    for (const [corrupt, trial] of byCorrupt) {
      expect(trial.status, corrupt).toBe("TERMINATED");
      expect(trial.history.map((r) => r.iteration), corrupt).toEqual(ITERATIONS);
      const latest = join(given.storagePath as string, trial.id, "checkpoint_000006");
      const warning = stderr.find((line) => line.includes(`trial ${trial.id}: checkpoint ${latest} is unusable`));
      expect(warning, `${corrupt}: ${stderr.join("")}`).toBeDefined();
      if (corrupt === "all") {
        expect(warning).toContain("restarting from scratch");
        expect((trial as unknown as { failures: number }).failures).toBe(2); // the crash, then no usable checkpoint
      } else {
        expect(warning).toContain(`restarting from the previous checkpoint ${join(given.storagePath as string, trial.id, "checkpoint_000003")}`);
        expect((trial as unknown as { failures: number }).failures).toBe(1);
      }
    }
    expect(stderr.join("")).toContain("is missing (an interrupted save?)");
    expect(stderr.join("")).toContain("truncated?");
    expect(stderr.join("")).toContain("does not exist (deleted?)");
    // Re-done results are marked in result.jsonl: each iteration reads once.
    for (const trial of loadExperiment(given.storagePath as string).trials) expect(trial.results.map((r) => r.training_iteration)).toEqual(ITERATIONS);
  });

  it("with no failures left, the trial ends in ERROR with a message naming the trial and the path, not a JSON parse error", async () => {
    captureStderr();
    const given = options(["all"], 1);
    const run = await tune(given);
    const trial = run.trials[0];
    expect(trial?.status).toBe("ERROR");
    expect(trial?.errorMessage).toContain(`trial t00000: checkpoint ${join(given.storagePath as string, "t00000", "checkpoint_000006")} is unusable: its file state.json holds 3 bytes`);
    expect(trial?.errorMessage).not.toMatch(/Unexpected token|JSON\.parse/);
  });
});
