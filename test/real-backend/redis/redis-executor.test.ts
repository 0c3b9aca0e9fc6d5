import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tune } from "../../../real-backend/index.ts";
import { tuneOnRedis } from "../../../real-backend/redis/tune-on-redis.ts";
import { describeWithRedis, startRedisServer, type RedisServer } from "./_redis-server.ts";
import { everyIterationOnce, experiment, histories } from "./_experiment.ts";
import { killAll, namespace, startWorker } from "./_workers.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-redis-"));
const SHAPE = { trials: 8, iterations: 10, stepMs: 2 };

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
    const reference = await tune({ ...experiment(join(tmp(), "local"), SHAPE), capacity: { cpu: 6, gpu: 0 } });
    const run = await tuneOnRedis({ ...experiment(join(tmp(), "redis"), SHAPE), redis: { url: redis.url, namespace: ns } });
    expect(histories(run.trials)).toEqual(histories(reference.trials));
    expect(everyIterationOnce(run.trials, 10)).toBe(true);
    // Every result once: 8 trials x 10 iterations, nothing repeated or lost.
    expect(run.redis.results).toBe(80);
    expect(run.redis.workersJoined).toBe(3);
    // Trials ran on more than one worker (placement by free CPUs spreads them).
    expect(Object.keys(run.placements).sort()).toEqual(workers.map((w) => w.id).sort());
  }, 120_000);
});
