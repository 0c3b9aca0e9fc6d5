// A damaged checkpoint through Redis: the driver checks the checkpoint a trial restores on a
// worker (usableCheckpoint, as on one machine), so a restart on any worker falls back to the
// previous checkpoint with a warning naming the path, and with none left starts from scratch.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { choice, grid } from "../../../core/space/index.ts";
import { tuneOnRedis } from "../../../real-backend/redis/tune-on-redis.ts";
import { loadExperiment } from "../../../results/index.ts";
import { describeWithRedis, startRedisServer, type RedisServer } from "./_redis-server.ts";
import { killAll, namespace, startWorker } from "./_workers.ts";

const steady = fileURLToPath(new URL("../../faults/fixtures/steady-worker.mjs", import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-redis-corrupt-"));
const ITERATIONS = Array.from({ length: 12 }, (_, i) => i + 1);

describeWithRedis("a damaged checkpoint restored through Redis", () => {
  let redis: RedisServer;
  let stderr: string[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 60_000);
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    await killAll();
    await redis?.stop();
  });

  it("truncated file, missing marker, deleted directory: the previous checkpoint with a warning naming the path; none left: from scratch, one more failure", async () => {
    const ns = namespace();
    await Promise.all([1, 2].map(() => startWorker(redis.url, ns, 2)));
    stderr = [];
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return write(chunk);
    });
    const corrupt = ["truncate", "marker", "delete", "all"];
    const storagePath = join(tmp(), "exp");
    // Each trial saves at 3 and 6; at step 8 its actor damages its checkpoints (per `corrupt`) and dies on its worker.
    const run = await tuneOnRedis({
      trainable: { command: [process.execPath, steady] },
      space: { corrupt: grid(corrupt), lr: choice([0.5]), stepMs: choice([1]), crashAt: choice([8]), markerDir: choice([tmp()]) },
      metric: "loss",
      mode: "min",
      trials: corrupt.length,
      maxIterations: 12,
      checkpointFrequency: 3,
      maxFailures: -1,
      storagePath,
      progress: false,
      redis: { url: redis.url, namespace: ns, pollMs: 100 },
    });
    for (const trial of run.trials) {
      const kind = trial.config["corrupt"] as string;
      expect(trial.status, kind).toBe("TERMINATED");
      expect(trial.history.map((r) => r.iteration), kind).toEqual(ITERATIONS);
      const latest = join(storagePath, trial.id, "checkpoint_000006");
      const warning = stderr.find((line) => line.includes(`trial ${trial.id}: checkpoint ${latest} is unusable`));
      expect(warning, `${kind}: ${stderr.join("")}`).toBeDefined();
      const failures = (trial as unknown as { failures: number }).failures;
      if (kind === "all") {
        expect(warning).toContain("restarting from scratch");
        expect(failures).toBe(2); // the crash, then no usable checkpoint
      } else {
        expect(warning).toContain(`restarting from the previous checkpoint ${join(storagePath, trial.id, "checkpoint_000003")}`);
        expect(failures).toBe(1);
      }
    }
    // Re-done results are marked in result.jsonl: each iteration reads once.
    for (const trial of loadExperiment(storagePath).trials) expect(trial.results.map((r) => r.training_iteration)).toEqual(ITERATIONS);
  }, 120_000);
});
