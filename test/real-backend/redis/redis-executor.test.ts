import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import { choice, uniform } from "../../../core/space/index.ts";
import { tune, type TuneOptions } from "../../../real-backend/index.ts";
import { tuneOnRedis } from "../../../real-backend/redis/tune-on-redis.ts";
import { describeWithRedis, startRedisServer, type RedisServer } from "./_redis-server.ts";
import { killAll, namespace, startWorker } from "./_workers.ts";

const steady = fileURLToPath(new URL("../../faults/fixtures/steady-worker.mjs", import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-redis-"));

function experiment(storagePath: string): TuneOptions & { trainable: { command: string[] } } {
  const space = { lr: uniform(0, 1), stepMs: choice([2]) };
  return {
    trainable: { command: [process.execPath, steady] },
    space,
    searcher: new RandomSearch(space, { metric: "loss", mode: "min", seed: 5 }),
    metric: "loss",
    mode: "min",
    trials: 8,
    maxIterations: 10,
    checkpointFrequency: 3,
    seed: 5,
    storagePath,
    progress: false,
  };
}

/** Each trial's config and metric history, by trial id. */
function histories(trials: readonly { id: string; config: unknown; history: readonly { iteration: number; metrics: unknown }[]; status: string }[]) {
  return Object.fromEntries(trials.map((t) => [t.id, { config: t.config, status: t.status, history: t.history.map((r) => [r.iteration, r.metrics]) }]));
}

describeWithRedis("RedisExecutor through a real redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 20_000);
  afterAll(async () => {
    await killAll();
    await redis?.stop();
  });

  it("a driver and 3 worker processes: the same trial configs and histories as the single-machine process executor", async () => {
    const ns = namespace();
    const workers = await Promise.all([1, 2, 3].map(() => startWorker(redis.url, ns, 2)));
    const reference = await tune({ ...experiment(join(tmp(), "local")), capacity: { cpu: 6, gpu: 0 } });
    const run = await tuneOnRedis({ ...experiment(join(tmp(), "redis")), redis: { url: redis.url, namespace: ns } });
    expect(histories(run.trials)).toEqual(histories(reference.trials));
    expect(run.trials.every((t) => t.status === "TERMINATED" && t.history.length === 10)).toBe(true);
    // Every result once: 8 trials x 10 iterations, nothing repeated or lost.
    expect(run.redis.results).toBe(80);
    expect(run.redis.workersJoined).toBe(3);
    // Trials ran on more than one worker (placement by free CPUs spreads them).
    const used = workers.filter((w) => /opened session/.test(w.log()));
    expect(used.length).toBe(3);
  }, 120_000);
});
