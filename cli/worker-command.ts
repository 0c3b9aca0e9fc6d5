import { parseInteger, parsePositiveNumber } from "./flags.ts";

export interface WorkerFlags {
  redis: string;
  cpus?: string;
  gpus?: string;
  namespace?: string;
  heartbeatMs?: string;
}

/**
 * `tunelab worker --redis URL [--cpus N] [--gpus N]` (registered in program.ts): serves trials to drivers
 * (`tuneOnRedis`) until SIGINT or SIGTERM, then kills its actors and leaves.
 */
export async function workerCommand(flags: WorkerFlags): Promise<void> {
  const options = {
    redis: flags.redis,
    ...(flags.cpus !== undefined ? { cpus: parsePositiveNumber("--cpus", flags.cpus) } : {}),
    ...(flags.gpus !== undefined ? { gpus: parseInteger("--gpus", flags.gpus, 0) } : {}),
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    ...(flags.heartbeatMs !== undefined ? { heartbeatMs: parseInteger("--heartbeat-ms", flags.heartbeatMs, 10) } : {}),
  };
  // Loaded on use: ioredis and the worker stay out of every other command's start-up.
  const { RedisWorker } = await import("../real-backend/redis/worker.ts");
  const worker = new RedisWorker(options);
  await worker.start();
  await new Promise<void>((resolve) => {
    const leave = () => {
      process.off("SIGINT", leave);
      process.off("SIGTERM", leave);
      void worker.stop().then(resolve);
    };
    process.on("SIGINT", leave);
    process.on("SIGTERM", leave);
  });
}
