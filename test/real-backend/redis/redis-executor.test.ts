import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OptionError } from "../../../core/contracts/index.ts";
import { checkRedisUrl } from "../../../real-backend/redis/connection.ts";
import { REDIS_PROTOCOL_VERSION, RedisKeys } from "../../../real-backend/redis/protocol.ts";
import { RedisWorker } from "../../../real-backend/redis/worker.ts";
import { checkDriverOptions } from "../../../real-backend/redis/driver-connection.ts";
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

describe("Redis options", () => {
  it("a URL that is not redis:// or rediss:// is one OptionError naming the field", () => {
    expect(() => checkRedisUrl("--redis", "http://127.0.0.1:6379")).toThrow(OptionError);
    expect(() => checkRedisUrl("--redis", "http://127.0.0.1:6379")).toThrow(/--redis: must start with redis:\/\/ or rediss:\/\/ \(TLS\)/);
    expect(() => checkRedisUrl("redis.url", "")).toThrow(/redis.url: must be a Redis URL/);
    expect(checkRedisUrl("--redis", "rediss://user:pw@redis.example:6380/0")).toBe("rediss://user:pw@redis.example:6380/0");
  });

  it("bad worker and driver options are one OptionError each, naming the flag or field", () => {
    expect(() => new RedisWorker({ redis: "redis://127.0.0.1:6379", cpus: 0 })).toThrow("--cpus: must be a finite number > 0, got 0");
    expect(() => new RedisWorker({ redis: "redis://127.0.0.1:6379", cpus: 1, gpus: 1.5 })).toThrow("--gpus: must be an integer >= 0, got 1.5");
    expect(() => new RedisWorker({ redis: "tcp://127.0.0.1:6379" })).toThrow(/^--redis: must start with redis:\/\//);
    expect(() => checkDriverOptions({ url: "redis://h:1", workerTimeoutSeconds: -1 })).toThrow("redis.workerTimeoutSeconds: must be a finite number > 0, got -1");
    expect(() => checkDriverOptions({ url: "redis://h:1", pollMs: 1 })).toThrow("redis.pollMs: must be an integer >= 10, got 1");
    expect(checkDriverOptions("redis://h:1")).toEqual({ url: "redis://h:1", namespace: "tunelab", workerTimeoutSeconds: 10, pollMs: 250, waitForWorkersSeconds: 60 });
  });

  it("a worker that cannot reach Redis stops with one OptionError naming --redis and the cause", async () => {
    await expect(new RedisWorker({ redis: "redis://127.0.0.1:1", cpus: 1, gpus: 0 }).start()).rejects.toThrow(/^--redis: cannot reach redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });

  it("tuneOnRedis refuses an in-process trainable: no code travels through Redis", async () => {
    const options = { ...experiment(join(tmp(), "x"), SHAPE), trainable: { name: "f", init: () => ({}), step: () => ({ metrics: {} }) } };
    await expect(tuneOnRedis({ ...(options as unknown as Parameters<typeof tuneOnRedis>[0]), redis: "redis://127.0.0.1:1" })).rejects.toThrow(/trainable: must be \{ module \} or \{ command \}/);
  });
});

describeWithRedis("Redis with a password, and protocol versions", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer({ password: "s3cret pw" });
  }, 20_000);
  afterAll(async () => {
    await killAll();
    await redis?.stop();
  });

  it("a worker and a driver with the password in the URL run the experiment; a wrong password is one OptionError that does not print it", async () => {
    const ns = namespace();
    const worker = await startWorker(redis.url, ns, 2);
    const run = await tuneOnRedis({ ...experiment(join(tmp(), "pw"), { trials: 2, iterations: 3, stepMs: 1 }), redis: { url: redis.url, namespace: ns } });
    expect(everyIterationOnce(run.trials, 3)).toBe(true);
    expect(Object.keys(run.placements)).toEqual([worker.id]);
    const wrong = `redis://:nope@127.0.0.1:${redis.port}`;
    const refused = tuneOnRedis({ ...experiment(join(tmp(), "pw2"), SHAPE), redis: { url: wrong, namespace: ns, waitForWorkersSeconds: 1 } });
    await expect(refused).rejects.toThrow(OptionError);
    await expect(refused).rejects.toThrow(/cannot reach redis:\/\/:\*\*\*@127\.0\.0\.1/);
    await expect(refused).rejects.not.toThrow(/nope/);
  }, 60_000);

  it("the driver refuses a worker of another protocol version: it gets no trials, and alone it is an error naming both versions", async () => {
    const ns = namespace();
    const keys = new RedisKeys(ns);
    const client = new Redis(redis.url);
    try {
      const alien = { v: REDIS_PROTOCOL_VERSION + 1, id: "alien", host: "elsewhere", pid: 1, cpu: 64, gpu: 0, gpuIndexes: [] };
      await client.hset(keys.workers, "alien", JSON.stringify(alien));
      const alone = tuneOnRedis({ ...experiment(join(tmp(), "v-alone"), SHAPE), redis: { url: redis.url, namespace: ns, waitForWorkersSeconds: 0.5 } });
      await expect(alone).rejects.toThrow(`no worker of protocol version ${REDIS_PROTOCOL_VERSION} joined`);
      await expect(alone).rejects.toThrow(`alien speaks version ${REDIS_PROTOCOL_VERSION + 1}`);
      const worker = await startWorker(redis.url, ns, 2);
      const run = await tuneOnRedis({ ...experiment(join(tmp(), "v-mixed"), { trials: 3, iterations: 2, stepMs: 1 }), redis: { url: redis.url, namespace: ns } });
      expect(run.redis.workersRefused).toBe(1);
      expect(Object.keys(run.placements)).toEqual([worker.id]);
    } finally {
      client.disconnect();
    }
  }, 60_000);
});
