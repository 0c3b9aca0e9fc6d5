import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ProcessExecutor, type TrainableSource } from "../../../real-backend/process/process-executor.ts";
import { drive } from "./drive.ts";

const misbehaving = fileURLToPath(new URL("./fixtures/misbehaving.ts", import.meta.url));
const raw = fileURLToPath(new URL("./fixtures/raw-protocol.mjs", import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-iso-"));

async function one(trainable: TrainableSource, extra: { stepTimeoutSeconds?: number; maxMemoryMB?: number } = {}) {
  const dir = tmp();
  const loop = await drive({
    executor: new ProcessExecutor({ trainable, seed: 1, experimentDir: dir, capacity: { cpu: 1, gpu: 0 }, ...extra }),
    metric: "loss",
    mode: "min",
    trials: 1,
    maxIterations: 3,
  });
  return { trial: loop.trials[0], dir };
}

/** A command trainable that sends these lines: the first at start-up, then one per command. */
const scripted = (...lines: string[]): TrainableSource => ({ command: [process.execPath, raw, JSON.stringify(lines)] });
const READY = JSON.stringify({ type: "ready", version: 1 });

describe("isolation: a bad trial fails alone, with a message that says why", () => {
  it("a crashing actor fails its trial with the exit code and its last stderr; the other trials carry on", async () => {
    const dir = tmp();
    const loop = await drive({
      executor: new ProcessExecutor({ trainable: { module: misbehaving, export: "crashes" }, seed: 1, experimentDir: dir, capacity: { cpu: 2, gpu: 0 } }),
      metric: "loss",
      mode: "min",
      trials: 4,
    });
    const crashed = loop.trials.filter((t) => (t.config["lr"] as number) < 0.5);
    const fine = loop.trials.filter((t) => (t.config["lr"] as number) >= 0.5);
    expect(crashed.length).toBeGreaterThan(0);
    expect(fine.length).toBeGreaterThan(0);
    for (const t of crashed) {
      expect(t.status).toBe("ERROR");
      expect(t.errorMessage).toBe("actor process exited with code 3; last stderr: CUDA error: device-side assert triggered");
      expect(readFileSync(join(dir, t.id, "stderr.log"), "utf8")).toContain("device-side assert");
    }
    for (const t of fine) expect(t.history.map((r) => r.iteration)).toEqual([1, 2, 3]);
  });

  it("stepTimeoutSeconds kills a hung step and names the timeout", async () => {
    const { trial } = await one({ module: misbehaving, export: "hangs" }, { stepTimeoutSeconds: 1 });
    expect(trial?.status).toBe("ERROR");
    expect(trial?.history).toHaveLength(1);
    expect(trial?.errorMessage).toBe("step timed out after 1 s (stepTimeoutSeconds=1); the actor was killed");
  });

  it("maxMemoryMB caps a Node worker's heap; running out fails the trial with the signal and V8's message", async () => {
    const { trial } = await one({ module: misbehaving, export: "hogsMemory" }, { maxMemoryMB: 48 });
    expect(trial?.status).toBe("ERROR");
    expect(trial?.errorMessage).toMatch(/^actor process (was killed by signal SIGABRT|exited with code 134) \(out of memory: .*JavaScript heap out of memory\); last stderr: /);
  });

  it("a throw in the trainable fails the trial with its message; prints never pass for protocol lines", async () => {
    const thrown = await one({ module: misbehaving, export: "throws" });
    expect(thrown.trial?.errorMessage).toBe("shape mismatch in layer 2");
    const prints = await one({ module: misbehaving, export: "printsALot" });
    expect(prints.trial?.history.map((r) => r.metrics["loss"])).toEqual([1, 2]);
    expect(readFileSync(join(prints.dir, prints.trial?.id ?? "", "stdout.log"), "utf8")).toContain('"type":"result"');
    expect(readFileSync(join(prints.dir, prints.trial?.id ?? "", "stderr.log"), "utf8")).toContain("warning: step 2");
  });

  it("a command that does not exist fails its trial saying so", async () => {
    const { trial } = await one({ command: ["/no/such/trainer"] });
    expect(trial?.status).toBe("ERROR");
    expect(trial?.errorMessage).toBe('could not start "/no/such/trainer": spawn /no/such/trainer ENOENT');
  });

  it("protocol violations fail the trial with one line quoting the offending line, cut short", async () => {
    const long = JSON.stringify({ type: "result", metrics: { loss: "x".repeat(500) } });
    const cases: [TrainableSource, RegExp | string][] = [
      [scripted(READY, "not json {"), 'protocol error: malformed JSON in line "not json {"'],
      [scripted(READY, JSON.stringify({ type: "progress", pct: 5 })), 'protocol error: unknown message type "progress" in line "{\\"type\\":\\"progress\\",\\"pct\\":5}"'],
      [scripted(READY, JSON.stringify({ type: "result" })), 'protocol error: missing field "metrics" (an object of numbers) in line "{\\"type\\":\\"result\\"}"'],
      [scripted(READY, '{"type":"result","metrics":{"loss":1e999}}'), 'protocol error: metric "loss" is not a finite number in line "{\\"type\\":\\"result\\",\\"metrics\\":{\\"loss\\":1e999}}"'],
      [scripted(JSON.stringify({ type: "result", metrics: { loss: 1 } })), /^protocol error: a result before start in line /],
      [scripted(JSON.stringify({ type: "ready", version: 2 })), /^protocol error: protocol version 2 is not supported \(this driver speaks 1\)/],
      [scripted(READY, READY), /^protocol error: a second ready in line /],
      [scripted(READY, JSON.stringify({ type: "saved" })), /^protocol error: a saved while no save was asked for in line /],
      [scripted(READY, long), /^protocol error: metric "loss" is not a finite number in line "\{\\"type\\":\\"result\\",\\"metrics\\":\{\\"loss\\":\\"x{100,}\.\.\."$/],
    ];
    const runs = await Promise.all(cases.map(([source]) => one(source)));
    runs.forEach(({ trial }, k) => {
      expect(trial?.status).toBe("ERROR");
      expect(trial?.errorMessage).toMatch(typeof cases[k]?.[1] === "string" ? new RegExp(`^${escape(cases[k]?.[1] as string)}$`) : (cases[k]?.[1] as RegExp));
      expect(trial?.errorMessage).not.toContain("\n");
      expect((trial?.errorMessage ?? "").length).toBeLessThan(300);
    });
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
