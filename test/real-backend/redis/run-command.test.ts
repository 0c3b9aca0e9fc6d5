// `tunelab run FILE --redis URL`: the experiment file's trials run on a `tunelab worker`
// through a real redis-server, the CLI being the driver; a bad URL is one line naming the flag.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { runCommand } from "../../../cli/run-command.ts";
import { loadExperiment } from "../../../results/index.ts";
import { describeWithRedis, startRedisServer, type RedisServer } from "./_redis-server.ts";
import { killAll, startWorker } from "./_workers.ts";

const cli = fileURLToPath(new URL("../../../bin/tunelab.js", import.meta.url));
const steady = fileURLToPath(new URL("../../faults/fixtures/steady-worker.mjs", import.meta.url));

/** Runs the CLI in a child process (asynchronously: this process's event loop stays free). */
function tunelab(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

function experimentFile(storagePath: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "tunelab-redis-cli-")), "experiment.yaml");
  writeFileSync(
    file,
    [
      "name: on-workers",
      `storagePath: ${JSON.stringify(storagePath)}`,
      `trainable: { command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(steady)}] }`,
      "space:",
      "  lr: { uniform: [0, 1] }",
      "  stepMs: { choice: [5] }",
      "metric: loss",
      "mode: min",
      "trials: 3",
      "maxIterations: 4",
      "checkpointFrequency: 2",
      "seed: 3",
    ].join("\n"),
  );
  return file;
}

describeWithRedis("tunelab run --redis", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 60_000);
  afterAll(async () => {
    await killAll();
    await redis?.stop();
  });

  it("runs the file's trials on a worker through Redis and prints the summary; the worker opened the session", async () => {
    // The CLI's default namespace ("tunelab"): a private server per test file keeps it apart.
    const worker = await startWorker(redis.url, "tunelab", 2);
    const storagePath = join(mkdtempSync(join(tmpdir(), "tunelab-redis-cli-")), "exp");
    const r = await tunelab(["run", "--json", experimentFile(storagePath), "--redis", redis.url]);
    expect(r.stderr).not.toContain("tunelab: ");
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim());
    expect(summary).toMatchObject({ name: "on-workers", metric: "loss", mode: "min", trials: 3 });
    expect(summary.trialStates.TERMINATED).toBe(3);
    expect(worker.log()).toContain(`opened session`);
    expect(worker.log()).toContain(storagePath);
    // The driver wrote the experiment directory: every trial's iterations 1..4 once.
    for (const trial of loadExperiment(storagePath).trials) expect(trial.results.map((x) => x.training_iteration)).toEqual([1, 2, 3, 4]);
  }, 120_000);

  it("a bad URL, an unreachable Redis or a simulation file: exit code 2, one line naming --redis (the password hidden)", async () => {
    const file = experimentFile(join(mkdtempSync(join(tmpdir(), "tunelab-redis-cli-")), "exp"));
    const simulation = join(mkdtempSync(join(tmpdir(), "tunelab-redis-cli-")), "sim.yaml");
    writeFileSync(simulation, "kind: simulation\nbenchmark: branin\nmetric: loss\nmode: min\ntrials: 2\n");
    // In this process (the action as main.ts calls it): a child per case costs seconds of start-up each.
    const inProcess = async (path: string, url: string) => {
      const lines: string[] = [];
      const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
      const before = process.exitCode;
      try {
        await runCommand(path, { redis: url });
        return { code: process.exitCode, stderr: lines.join("") };
      } finally {
        spy.mockRestore();
        process.exitCode = before;
      }
    };
    const scheme = await inProcess(file, "http://127.0.0.1:6379");
    expect(scheme).toEqual({ code: 2, stderr: 'tunelab: --redis: must start with redis:// or rediss:// (TLS), got "http:"\n' });
    // Port 1: nothing listens there.
    const unreachable = await inProcess(file, "redis://:s3cret@127.0.0.1:1");
    expect(unreachable).toEqual({ code: 2, stderr: "tunelab: --redis: cannot reach redis://:***@127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n" });
    const sim = await inProcess(simulation, redis.url);
    expect(sim).toEqual({ code: 2, stderr: "tunelab: --redis: applies to real runs; a simulation runs in this process\n" });
  }, 60_000);
});
