import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tune } from "../../../real-backend/index.ts";
import { tuneOnRedis } from "../../../real-backend/redis/tune-on-redis.ts";
import { loadExperiment } from "../../../results/index.ts";
import { everyIterationOnce, experiment, histories, type ExperimentShape } from "./_experiment.ts";
import { describeWithRedis, startRedisServer, type RedisServer } from "./_redis-server.ts";
import { killAll, namespace, startWorker } from "./_workers.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-redis-faults-"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const driverEntry = fileURLToPath(new URL("./fixtures/driver.ts", import.meta.url));
const SHAPE: ExperimentShape = { trials: 6, iterations: 20, stepMs: 25 };
/** Short, so a killed worker is found lost in about a second (workers beat every 100 ms here). */
const REDIS = (url: string, ns: string) => ({ url, namespace: ns, workerTimeoutSeconds: 1, pollMs: 100 });

/** Results written so far under an experiment directory (every trial's result.jsonl lines). */
function resultsWritten(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const entry of readdirSync(dir)) {
    const file = join(dir, entry, "result.jsonl");
    if (existsSync(file)) n += readFileSync(file, "utf8").split("\n").filter((l) => l.includes('"metrics"')).length;
  }
  return n;
}

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describeWithRedis("Redis backend under faults", () => {
  let redis: RedisServer;
  let reference: Record<string, unknown>;
  beforeAll(async () => {
    redis = await startRedisServer();
    const local = await tune({ ...experiment(join(tmp(), "reference"), SHAPE), capacity: { cpu: 4, gpu: 0 } });
    reference = histories(local.trials);
  }, 60_000);
  afterAll(async () => {
    await killAll();
    await redis?.stop();
  });

  it("SIGKILL a worker mid-trial: its trials restart from their checkpoints on the others and finish; each iteration once, same histories", async () => {
    const ns = namespace();
    const workers = await Promise.all([1, 2, 3].map(() => startWorker(redis.url, ns, 2)));
    const dir = join(tmp(), "worker-killed");
    const running = tuneOnRedis({ ...experiment(dir, SHAPE), redis: REDIS(redis.url, ns) });
    await until(() => resultsWritten(dir) >= 20, "20 results");
    const victim = workers[0] as (typeof workers)[0];
    const before = resultsWritten(dir);
    victim.child.kill("SIGKILL");
    const run = await running;
    expect(before).toBeLessThan(SHAPE.trials * SHAPE.iterations);
    expect(everyIterationOnce(run.trials, SHAPE.iterations)).toBe(true);
    expect(histories(run.trials)).toEqual(reference);
    expect(run.redis.workersLost).toBe(1);
    expect(run.summary.nodesLost).toBe(1);
    expect(run.summary.preemptions).toBeGreaterThan(0);
    // The lost worker's trials were retried as recoverable failures, not counted against maxFailures (0 here).
    expect(run.summary.failures).toBe(0);
    expect(run.redis.results).toBe(SHAPE.trials * SHAPE.iterations + run.summary.redoneIterations);
    console.log(`redis_fault_worker_sigkills=1 workers_lost=${run.redis.workersLost} trials_restarted=${run.summary.preemptions} redone_iterations=${run.summary.redoneIterations} results_lost=0 results_doubled=0 duplicates_ignored=${run.redis.duplicateReplies} stale_ignored=${run.redis.staleReplies}`);
  }, 120_000);

  it("a worker that joins mid-run gets work", async () => {
    const ns = namespace();
    const first = await startWorker(redis.url, ns, 1);
    const dir = join(tmp(), "joined");
    // A worker frozen for less than the timeout is not lost.
    const running = tuneOnRedis({ ...experiment(dir, SHAPE), redis: { url: redis.url, namespace: ns, pollMs: 100, workerTimeoutSeconds: 120 } });
    await until(() => resultsWritten(dir) >= 5, "5 results");
    // The first worker holds the run still while the second starts (a worker's start-up takes seconds
    // on a loaded machine; without the pause the run could end before it joins).
    first.child.kill("SIGSTOP");
    const paused = resultsWritten(dir);
    let second: Awaited<ReturnType<typeof startWorker>>;
    try {
      second = await startWorker(redis.url, ns, 2);
    } finally {
      first.child.kill("SIGCONT");
    }
    const run = await running;
    expect(paused).toBeLessThan(SHAPE.trials * SHAPE.iterations);
    expect(everyIterationOnce(run.trials, SHAPE.iterations)).toBe(true);
    expect(histories(run.trials)).toEqual(reference);
    expect(run.placements[first.id]).toBeGreaterThan(0);
    expect(run.placements[second.id]).toBeGreaterThan(0);
    expect(run.redis.workersLost).toBe(0);
    console.log(`redis_fault_worker_joined=1 results_before_join=${paused} trials_on_new_worker=${run.placements[second.id]} of ${SHAPE.trials}`);
  }, 120_000);

  it("restart Redis mid-run (AOF): no result lost or doubled", async () => {
    const ns = namespace();
    await Promise.all([1, 2].map(() => startWorker(redis.url, ns, 2)));
    const dir = join(tmp(), "redis-restarted");
    // A short worker timeout: the time Redis is away is nobody's missed heartbeat, so no worker is lost.
    const running = tuneOnRedis({ ...experiment(dir, SHAPE), redis: { url: redis.url, namespace: ns, pollMs: 100, workerTimeoutSeconds: 3 } });
    await until(() => resultsWritten(dir) >= 15, "15 results");
    const before = resultsWritten(dir);
    await redis.restart();
    const run = await running;
    expect(before).toBeLessThan(SHAPE.trials * SHAPE.iterations);
    expect(everyIterationOnce(run.trials, SHAPE.iterations)).toBe(true);
    expect(histories(run.trials)).toEqual(reference);
    expect(run.redis.results).toBe(SHAPE.trials * SHAPE.iterations);
    expect(run.redis.workersLost).toBe(0);
    console.log(`redis_fault_restarts=1 results_before_restart=${before} results=${run.redis.results} results_lost=0 results_doubled=0 duplicates_ignored=${run.redis.duplicateReplies} commands_resent=${run.redis.resentCommands}`);
    // On disk too: each trial's result.jsonl holds iterations 1..n once.
    const loaded = loadExperiment(dir);
    for (const trial of loaded.trials) expect(trial.results.map((r) => r.training_iteration)).toEqual(Array.from({ length: SHAPE.iterations }, (_, k) => k + 1));
  }, 120_000);

  it("SIGKILL the driver, then resume against the same Redis and workers: every trial finishes, each iteration once", async () => {
    const ns = namespace();
    await Promise.all([1, 2].map(() => startWorker(redis.url, ns, 2)));
    const dir = join(tmp(), "driver-killed");
    const driver = spawn(process.execPath, ["--import", "tsx", driverEntry, redis.url, ns, dir, String(SHAPE.trials), String(SHAPE.iterations), String(SHAPE.stepMs), "0"], { stdio: "ignore" });
    const exited = new Promise((resolve) => driver.once("exit", resolve));
    await until(() => resultsWritten(dir) >= 25, "25 results from the first driver");
    const before = resultsWritten(dir);
    driver.kill("SIGKILL");
    await exited;
    expect(before).toBeLessThan(SHAPE.trials * SHAPE.iterations);
    const run = await tuneOnRedis({ ...experiment(dir, SHAPE), redis: { url: redis.url, namespace: ns, pollMs: 100 }, resume: true });
    expect(everyIterationOnce(run.trials, SHAPE.iterations)).toBe(true);
    expect(histories(run.trials)).toEqual(reference);
    const loaded = loadExperiment(dir);
    for (const trial of loaded.trials) expect(trial.results.map((r) => r.training_iteration)).toEqual(Array.from({ length: SHAPE.iterations }, (_, k) => k + 1));
    console.log(`redis_fault_driver_sigkills=1 results_before_kill=${before} redone_iterations=${run.summary.redoneIterations} results_lost=0 results_doubled=0`);
  }, 120_000);
});
