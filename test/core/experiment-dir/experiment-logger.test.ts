import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ASHAScheduler } from "../../../algorithms/schedulers/index.ts";
import { ExperimentLogger } from "../../../core/experiment-dir/index.ts";
import { tune } from "../../../real-backend/index.ts";
import type { Trainable } from "../../../real-backend/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { countingObjective, countingSpace } from "../../_helpers/objectives.ts";

const fresh = () => mkdtempSync(join(tmpdir(), "tunelab-logger-"));
const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter((l) => l !== "");

describe("ExperimentLogger", () => {
  it("writes every result of a simulation to its trial's result.jsonl and progress.csv, and one trials.csv row per trial", () => {
    const dir = fresh();
    const run = simulate({
      objective: countingObjective, space: countingSpace, metric: "loss", mode: "min", trials: 9, seed: 2, cluster: { gpus: 3 },
      maxIterations: 9, storagePath: dir,
      scheduler: new ASHAScheduler({ metric: "loss", mode: "min", maxT: 9, gracePeriod: 1, reductionFactor: 3 }),
    });
    for (const t of run.trials) {
      const results = lines(join(dir, t.id, "result.jsonl")).map((l) => JSON.parse(l));
      expect(results.map((r) => r.training_iteration)).toEqual(t.history.map((r) => r.iteration));
      expect(results.map((r) => r.metrics.loss)).toEqual(t.history.map((r) => r.metrics["loss"]));
      const csv = lines(join(dir, t.id, "progress.csv"));
      expect(csv[0]).toBe("training_iteration,time,time_total_s,done,loss");
      expect(csv.length).toBe(t.history.length + 1);
      expect(JSON.parse(readFileSync(join(dir, t.id, "params.json"), "utf8")).config).toEqual(t.config);
    }
    const table = lines(join(dir, "trials.csv"));
    expect(table[0]).toBe("trial_id,status,iterations,last_metric,best_metric,gpu_seconds,cpu_seconds,failures,error,config/x");
    expect(table.length).toBe(run.trials.length + 1);
    const first = (table[1] as string).split(",");
    const t0 = run.trials[0]!;
    expect(first.slice(0, 3)).toEqual([t0.id, "TERMINATED", String(t0.lastResult?.iteration)]);
    // counting objective: each step takes 1 + x seconds on 1 GPU.
    expect(Number(first[5])).toBeCloseTo(t0.history.length * (1 + (t0.config["x"] as number)), 5);
    const decisions = lines(join(dir, "decisions.jsonl")).map((l) => JSON.parse(l));
    expect(decisions.some((d) => d.kind === "stop" && /^below the rung-\d cutoff/.test(d.reason))).toBe(true);
    const meta = JSON.parse(readFileSync(join(dir, "experiment.json"), "utf8"));
    expect(meta).toMatchObject({ kind: "simulation", metric: "loss", mode: "min" });
    expect(typeof meta.endedAt).toBe("string");
    expect(lines(join(dir, "trace.jsonl")).length).toBeGreaterThan(run.summary.results);
  });

  it("progress.csv takes the union of columns when a metric first appears late", () => {
    const dir = fresh();
    const late = {
      ...countingObjective,
      metrics: ["loss", "acc"],
      step: (state: { t: number }, config: Record<string, unknown>, ctx: never) => {
        const out = countingObjective.step(state, config, ctx) as { metrics: Record<string, number>; seconds: number; state: { t: number } };
        return out.state.t >= 3 ? { ...out, metrics: { ...out.metrics, acc: out.state.t / 10 } } : out;
      },
    };
    simulate({ objective: late as never, space: countingSpace, metric: "loss", mode: "min", trials: 1, maxIterations: 4, storagePath: dir });
    const csv = lines(join(dir, "t00000", "progress.csv"));
    expect(csv[0]).toBe("training_iteration,time,time_total_s,done,loss,acc");
    expect(csv.map((l) => l.split(",").length)).toEqual([6, 6, 6, 6, 6]);
    expect((csv[1] as string).endsWith(",")).toBe(true); // no acc yet at iteration 1
    expect((csv[4] as string).endsWith(",0.4")).toBe(true);
  });

  it("tune() writes the loggers' files under storagePath by default: the per-trial files off the event loop, all out when tune() returns", async () => {
    const dir = fresh();
    const trainable: Trainable<{ t: number }> = {
      name: "quad",
      init: () => ({ t: 0 }),
      step: (s, c) => ({ metrics: { loss: (c["x"] as number) ** 2 + 1 / (s.t + 1) }, state: { t: s.t + 1 }, done: s.t + 1 >= 3 }),
    };
    const run = await tune({ trainable, space: countingSpace, metric: "loss", mode: "min", trials: 2, storagePath: dir, capacity: { cpu: 1, gpu: 0 } });
    expect(lines(join(dir, "trials.csv")).length).toBe(3);
    for (const t of run.trials) {
      expect(lines(join(dir, t.id, "result.jsonl")).length).toBe(3);
      expect(lines(join(dir, t.id, "progress.csv")).length).toBe(4);
      expect(JSON.parse(readFileSync(join(dir, t.id, "params.json"), "utf8")).trial_id).toBe(t.id);
    }
    expect(JSON.parse(readFileSync(join(dir, "experiment.json"), "utf8")).kind).toBe("real");
  });

  it("a storagePath that is a file is a one-line OptionError naming it", () => {
    const file = join(fresh(), "not-a-dir");
    writeFileSync(file, "x");
    expect(() => new ExperimentLogger(file)).toThrow(`storagePath: "${file}" is a file, not a directory`);
    expect(existsSync(file)).toBe(true);
  });
});
