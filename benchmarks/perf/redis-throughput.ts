/**
 * Throughput of the Redis backend (issue 16). Prints `name=value` lines:
 * 1,000 trials x 20 no-op steps (a Node module, actors reused) over 4 `tunelab worker`
 * processes of 1 CPU each, through a local redis-server (AOF on), against the
 * single-machine ProcessExecutor with 4 CPUs on the same workload in this process:
 * `redis_results_per_s`, `process_results_per_s`, `redis_ms_per_result`,
 * `process_ms_per_result`, `redis_overhead_ms_per_result` (the difference) and
 * `redis_vs_process` (the ratio of ms per result).
 *
 *   npx tsx benchmarks/perf/redis-throughput.ts [--scale 0.1] [--redis redis://host:port]
 *
 * Without --redis it starts redis-server (Debian's package) on a free loopback port in a
 * temporary directory and stops it at the end. All processes share this machine, so the
 * Redis figure includes 4 worker processes and redis-server competing with the driver: on
 * a loaded machine compare the ratio, not the absolute rates.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ProcessExecutor } from "../../real-backend/process/process-executor.ts";
import { RedisDriverConnection } from "../../real-backend/redis/driver-connection.ts";
import { startRedisServer } from "../../real-backend/redis/local-server.ts";
import { RedisExecutor } from "../../real-backend/redis/redis-executor.ts";
import { timed } from "./timed-trials.ts";
import { parseArgs } from "node:util";
import { numberFlag } from "../script-flags.ts";

const { values: flags } = parseArgs({ options: { scale: { type: "string" }, redis: { type: "string" } } });
const scale = numberFlag("scale", flags.scale, 1, { above: 0 });
const WORKERS = 4;
const trials = Math.max(1, Math.round(1000 * scale));
const module = fileURLToPath(new URL("./redis-noop-trainable.ts", import.meta.url));
const trainable = { module, export: "noop20" };
const cli = fileURLToPath(new URL("../../bin/tunelab.js", import.meta.url));

function startWorkers(url: string, namespace: string): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: WORKERS }, () => {
      const child = spawn(process.execPath, [cli, "worker", "--redis", url, "--namespace", namespace, "--cpus", "1", "--gpus", "0"], { stdio: ["ignore", "ignore", "pipe"] });
      process.once("exit", () => child.kill("SIGKILL"));
      return new Promise<ChildProcess>((resolve, reject) => {
        let text = "";
        child.stderr?.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes(" joined ")) resolve(child);
        });
        child.once("exit", (code) => reject(new Error(`worker exited (${code}): ${text}`)));
      });
    }),
  );
}

console.log(`machine: loadavg_1m=${loadavg()[0]?.toFixed(1)} scale=${scale} trials=${trials} steps=20 workers=${WORKERS}`);
const given = flags.redis;
const redis = given === undefined ? await startRedisServer() : { url: given, stop: async () => undefined };
const namespace = `bench-${process.pid}`;
const workers = await startWorkers(redis.url, namespace);
try {
  const warmDir = mkdtempSync(join(tmpdir(), "tunelab-bench-"));
  const dirs = [warmDir];
  const redisRun = async (n: number) => {
    const dir = mkdtempSync(join(tmpdir(), "tunelab-bench-"));
    dirs.push(dir);
    const connection = await RedisDriverConnection.open({ url: redis.url, namespace });
    const executor = new RedisExecutor({ connection, trainable, seed: 0, experimentDir: dir });
    const outcome = await timed(executor, n);
    return { ...outcome, counts: executor.counts };
  };
  const processRun = (n: number) => {
    const dir = mkdtempSync(join(tmpdir(), "tunelab-bench-"));
    dirs.push(dir);
    return timed(new ProcessExecutor({ trainable, seed: 0, experimentDir: dir, capacity: { cpu: WORKERS, gpu: 0 } }), n);
  };
  // Warm-ups: actors started (their tsx start-up is not what is measured), caches filled.
  await redisRun(WORKERS * 2);
  await processRun(WORKERS * 2);
  const local = await processRun(trials);
  const remote = await redisRun(trials);
  const redisMs = (remote.seconds * 1000) / remote.results;
  const processMs = (local.seconds * 1000) / local.results;
  console.log(`redis: ${remote.results} results in ${remote.seconds.toFixed(2)} s; process executor: ${local.results} results in ${local.seconds.toFixed(2)} s`);
  console.log(`redis_results_per_s=${(remote.results / remote.seconds).toFixed(1)}`);
  console.log(`process_results_per_s=${(local.results / local.seconds).toFixed(1)}`);
  console.log(`redis_ms_per_result=${redisMs.toFixed(3)}`);
  console.log(`process_ms_per_result=${processMs.toFixed(3)}`);
  console.log(`redis_overhead_ms_per_result=${(redisMs - processMs).toFixed(3)}`);
  console.log(`redis_vs_process=${(redisMs / processMs).toFixed(2)}`);
  console.log(`redis_duplicates_ignored=${remote.counts.duplicateReplies}`);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
} finally {
  for (const w of workers) w.kill("SIGTERM");
  await redis.stop();
}
