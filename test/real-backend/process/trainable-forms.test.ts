import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { OptionError } from "../../../core/contracts/index.ts";
import { ProcessExecutor, type ProcessExecutorOptions } from "../../../real-backend/process/process-executor.ts";
import { drive } from "./drive.ts";

const forms = fileURLToPath(new URL("./fixtures/forms.ts", import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-forms-"));
const executor = (o: Partial<ProcessExecutorOptions> & Pick<ProcessExecutorOptions, "trainable">) =>
  new ProcessExecutor({ seed: 1, experimentDir: tmp(), capacity: { cpu: 2, gpu: 0 }, ...o });

const pids = (loop: Awaited<ReturnType<typeof drive>>) => new Set(loop.trials.flatMap((t) => t.history.map((r) => r.metrics["pid"])));

describe("trainable forms in worker processes", () => {
  it("class API without reset: every trial gets a fresh process; with reset: processes are reused", async () => {
    const one = { cpu: 1, gpu: 0 };
    const plain = await drive({ executor: executor({ trainable: { module: forms, export: "Counter" }, capacity: one }), metric: "w", mode: "max", trials: 2 });
    expect(plain.trials.map((t) => t.status)).toEqual(["TERMINATED", "TERMINATED"]);
    expect(plain.trials.map((t) => t.history.length)).toEqual([4, 4]);
    expect(pids(plain).size).toBe(2);
    const reused = await drive({ executor: executor({ trainable: { module: forms, export: "ResettableCounter" }, capacity: one }), metric: "w", mode: "max", trials: 3 });
    expect(reused.trials.map((t) => t.history.length)).toEqual([4, 4, 4]);
    // One slot, one process; the reused actor keeps its instance (reset, not a new object).
    expect(pids(reused).size).toBe(1);
    expect(new Set(reused.trials.flatMap((t) => t.history.map((r) => r.metrics["instance"]))).size).toBe(1);
    const w = reused.trials[0]?.history.map((r) => r.metrics["w"]) ?? [];
    const lr = reused.trials[0]?.config["lr"] as number;
    expect(w.map((x) => (x as number) / lr)).toEqual([1, 2, 3, 4].map((k) => expect.closeTo(k, 9)));
  });

  it("reuseActors: false respawns even a resettable trainable", async () => {
    const loop = await drive({ executor: executor({ trainable: { module: forms, export: "ResettableCounter" }, reuseActors: false, capacity: { cpu: 1, gpu: 0 } }), metric: "w", mode: "max", trials: 2 });
    expect(pids(loop).size).toBe(2);
  });

  it("function API: report returns on continue; checkpoints reported with a result are what save keeps", async () => {
    const dir = tmp();
    const loop = await drive({
      executor: new ProcessExecutor({ trainable: { module: forms, export: "countFn" }, seed: 1, experimentDir: dir, capacity: { cpu: 1, gpu: 0 } }),
      metric: "w",
      mode: "max",
      trials: 2,
      checkpointFrequency: 2,
    });
    for (const t of loop.trials) {
      const lr = t.config["lr"] as number;
      // Four reports, then the function returns: like Ray, one closing result repeats the last metrics with done.
      expect(t.history.map((r) => (r.metrics["w"] as number) / lr)).toEqual([1, 2, 3, 4, 4].map((k) => expect.closeTo(k, 9)));
      expect(t.history.at(-1)?.done).toBe(true);
      expect(t.status).toBe("TERMINATED");
      const latest = t.latestCheckpoint?.handle as string;
      expect(JSON.parse(readFileSync(join(latest, "w.json"), "utf8")) / lr).toBeCloseTo(t.latestCheckpoint?.iteration ?? 0, 9);
    }
    // One process served both trials (the function API is reusable).
    expect(pids(loop).size).toBe(1);
    expect(existsSync(join(dir, loop.trials[0]?.id ?? "", "stdout.log"))).toBe(true);
  });

  it("a bad module path is an OptionError before anything starts", () => {
    expect(() => executor({ trainable: { module: "./no/such/trainable.ts" } })).toThrow(OptionError);
    expect(() => executor({ trainable: { module: "./no/such/trainable.ts" } })).toThrow(/^trainable\.module: no such file: .*no\/such\/trainable\.ts$/);
    expect(() => executor({ trainable: { command: [] } })).toThrow(/^trainable\.command: must name an executable/);
    expect(() => executor({ trainable: { module: forms }, stepTimeoutSeconds: 0 })).toThrow(/^stepTimeoutSeconds: must be a finite number > 0, got 0$/);
    expect(() => executor({ trainable: { module: forms }, maxMemoryMB: 1.5 })).toThrow(/^maxMemoryMB: must be a whole number > 0, got 1.5$/);
    expect(() => executor({ trainable: { module: forms }, capacity: { cpu: 1, gpu: 0.5 } })).toThrow(/^capacity\.gpu: must be a whole number of GPUs, got 0.5$/);
  });

  it("a missing export fails the trial (in the worker) with one line naming it and what the module exports", async () => {
    const loop = await drive({ executor: executor({ trainable: { module: forms, export: "missing" } }), metric: "w", mode: "max", trials: 1 });
    const trial = loop.trials[0];
    expect(trial?.status).toBe("ERROR");
    expect(trial?.errorMessage).toMatch(/^export "missing" of file:.*forms\.ts does not exist \(the module exports: .*Counter.*\)$/);
  });
});
