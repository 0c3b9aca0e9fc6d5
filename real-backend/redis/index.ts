export { tuneOnRedis, type RedisTuneOptions, type RedisTuneRun } from "./tune-on-redis.ts";
export { RedisExecutor, type RedisExecutorCounts, type RedisExecutorOptions } from "./redis-executor.ts";
export { RedisDriverConnection, type RedisDriverOptions } from "./driver-connection.ts";
export { RedisWorker, type RedisWorkerOptions } from "./worker.ts";
export { SharedPathStorage, type CheckpointStorage } from "./checkpoint-storage.ts";
export { REDIS_PROTOCOL_VERSION } from "./protocol.ts";
