import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { op } from "arquero";
import { describe, expect, it } from "vitest";
import { ASHAScheduler } from "../../../algorithms/schedulers/index.ts";
import { pbtToyObjective } from "../../../benchmarks/objectives/index.ts";
import { loadExperiment } from "../../../results/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { fixedConfigs, toyPbt } from "../../algorithms/schedulers/pbt-fixtures.ts";
import { countingObjective, countingSpace } from "../../_helpers/objectives.ts";

const fresh = () => mkdtempSync(join(tmpdir(), "tunelab-analysis-"));

function ashaRun(dir: string) {
  return simulate({
    objective: countingObjective, space: countingSpace, metric: "loss", mode: "min", trials: 12, seed: 4, cluster: { gpus: 3 },
    maxIterations: 9, storagePath: dir,
    scheduler: new ASHAScheduler({ metric: "loss", mode: "min", maxT: 9, gracePeriod: 1, reductionFactor: 3 }),
  });
}

describe("loadExperiment", () => {
  it("reads back a simulation's directory: trials, best trial and config, the results table", () => {
    const dir = fresh();
    const run = ashaRun(dir);
    const a = loadExperiment(dir);
    expect(a.finished).toBe(true);
    expect(a.trials.map((t) => t.id)).toEqual(run.trials.map((t) => t.id));
    expect(a.trials.map((t) => t.status)).toEqual(run.trials.map((t) => t.status));
    expect(a.bestTrial()?.id).toBe(run.best?.trialId);
    expect(a.bestConfig()).toEqual(run.best?.config);
    expect(a.bestValue()).toBe(run.best?.metric);
    // scope "all" ranks by each trial's best-ever value.
    const bestEver = Math.min(...run.trials.flatMap((t) => t.history.map((r) => r.metrics["loss"] as number)));
    expect(a.bestValue({ scope: "all" })).toBe(bestEver);
    expect(a.bestCheckpoint()).toBeUndefined(); // simulations keep checkpoints in memory
    const table = a.results();
    expect(table.numRows()).toBe(run.summary.results);
    const perTrial = table.groupby("trial_id").rollup({ n: op.count(), best: op.min("loss") }).orderby("trial_id").objects() as Array<{ trial_id: string; n: number; best: number }>;
    expect(perTrial.map((r) => r.n)).toEqual(run.trials.map((t) => t.history.length));
    const curves = a.learningCurves();
    expect(curves.length).toBe(run.trials.length);
    const endings = new Set(curves.map((c) => c.ending));
    expect([...endings].some((e) => e.startsWith("stopped at rung"))).toBe(true);
    expect(endings.has("finished")).toBe(true);
    expect(a.statusCounts().TERMINATED).toBe(run.trials.length);
  });

  it("tolerates a torn last line (a crash mid-write) and treats trials missing from trials.csv as RUNNING", () => {
    const dir = fresh();
    ashaRun(dir);
    const path = join(dir, "t00000", "result.jsonl");
    const before = readFileSync(path, "utf8").split("\n").filter(Boolean).length;
    appendFileSync(path, '{"trial_id":"t00000","training_itera');
    rmSync(join(dir, "trials.csv"));
    const a = loadExperiment(dir);
    expect(a.trial("t00000").results.length).toBe(before);
    expect(a.statusCounts().RUNNING).toBe(12);
  });

  it("a corrupt line before the end is an error naming the file and line", () => {
    const dir = fresh();
    const run = ashaRun(dir);
    const long = run.trials.find((t) => t.history.length >= 3)!;
    const path = join(dir, long.id, "result.jsonl");
    const text = readFileSync(path, "utf8").split("\n");
    text[0] = "garbage";
    writeFileSync(path, text.join("\n"));
    expect(() => loadExperiment(dir)).toThrow(`${path}: line 1 is not JSON (the file is corrupt)`);
  });

  it("wrong metric names, missing and empty directories get one-line errors", () => {
    const dir = fresh();
    ashaRun(dir);
    const a = loadExperiment(dir);
    expect(() => a.bestTrial({ metric: "accuracy" })).toThrow(`metric: "accuracy" is not in the results of ${dir} (found: loss)`);
    expect(() => loadExperiment(join(dir, "nope"))).toThrow(`dir: "${join(dir, "nope")}" does not exist`);
    const empty = fresh();
    mkdirSync(join(empty, "notes"));
    expect(() => loadExperiment(empty)).toThrow(`dir: "${empty}" holds no experiment (no experiment.json and no trial directories)`);
  });

  it("pbtLineage: one edge per exploit, and each schedule starts from a trial that never copied", () => {
    const dir = fresh();
    const bench = pbtToyObjective();
    simulate({
      objective: bench.objective, space: bench.space, metric: "Q", mode: "max", trials: 2, seed: 0,
      searcher: fixedConfigs([{ h0: 1, h1: 0 }, { h0: 0, h1: 1 }]),
      scheduler: toyPbt(0), cluster: { gpus: 2 }, maxIterations: 40, storagePath: dir,
    });
    const a = loadExperiment(dir);
    const lineage = a.pbtLineage();
    const exploits = readFileSync(join(dir, "decisions.jsonl"), "utf8").split("\n").filter((l) => l.includes('"exploit"')).length;
    expect(lineage.edges.length).toBe(exploits);
    expect(exploits).toBeGreaterThan(0);
    for (const t of a.trials) {
      const schedule = lineage.schedules.get(t.id) ?? [];
      expect(schedule[0]?.iteration).toBe(0);
      expect([{ h0: 1, h1: 0 }, { h0: 0, h1: 1 }]).toContainEqual(schedule[0]?.config);
      // Iterations never go back along the chain, and the last step's config is the trial's final one.
      for (let i = 1; i < schedule.length; i++) expect(schedule[i]!.iteration).toBeGreaterThanOrEqual(schedule[i - 1]!.iteration);
      const lastEdge = lineage.edges.filter((e) => e.recipient === t.id).at(-1);
      if (lastEdge) expect(schedule.at(-1)?.config).toEqual(lastEdge.newConfig);
    }
  });
});
