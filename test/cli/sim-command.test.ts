import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tunelabInProcess } from "../_helpers/tunelab-in-process.ts";

const root = resolve(import.meta.dirname, "../..");

/** A real `tunelab` process: for what only a process shows (its exit status, its one stderr line). */
function tunelabProcess(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/tunelab.js"), ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same program in this process (no start-up): the flags' behaviour. */
const tunelab = (...args: string[]) => tunelabInProcess(args);

describe("tunelab sim", () => {
  it("prints one JSON object with the documented fields (a real process: exit status 0, one stdout line)", () => {
    const r = tunelabProcess("sim", "--benchmark", "hartmann6", "--searcher", "random", "--scheduler", "fifo", "--trials", "20", "--gpus", "8", "--seed", "3", "--json");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const s = JSON.parse(lines[0] as string);
    for (const field of ["metric", "mode", "best", "trials", "events", "simulatedSeconds", "wallSeconds", "gpuSeconds"]) {
      expect(s).toHaveProperty(field);
    }
    expect(s.metric).toBe("loss");
    expect(s.mode).toBe("min");
    expect(s.trials).toBe(20);
    expect(s.best).toMatchObject({ trialId: expect.stringMatching(/^t\d+$/), metric: expect.any(Number) });
    expect(Object.keys(s.best.config)).toEqual(["x0", "x1", "x2", "x3", "x4", "x5"]);
    expect(s.results).toBe(20 * 100);
  });

  it("writes the same JSONL trace for the same seed, with preemptions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunelab-"));
    const args = ["sim", "--benchmark", "branin", "--trials", "10", "--gpus", "4", "--preemption-rate", "30", "--checkpoint-frequency", "5", "--seed", "9", "--json"];
    const a = await tunelab(...args, "--trace", join(dir, "a.jsonl"));
    const b = await tunelab(...args, "--trace", join(dir, "b.jsonl"));
    expect(b.code).toBe(0);
    expect(a.code).toBe(0);
    const traceA = readFileSync(join(dir, "a.jsonl"), "utf8");
    expect(traceA).toBe(readFileSync(join(dir, "b.jsonl"), "utf8"));
    const types = new Set(traceA.trim().split("\n").map((l) => JSON.parse(l).type));
    expect(types).toContain("node_lost");
    expect(types).toContain("checkpoint");
  });

  it("--keep-checkpoints discards old checkpoints and reports how many", async () => {
    const args = ["sim", "--benchmark", "noisy-lr-schedule", "--scheduler", "pbt", "--trials", "8", "--gpus", "4", "--perturbation-interval", "10", "--json"];
    const all = JSON.parse((await tunelab(...args)).stdout);
    const kept = JSON.parse((await tunelab(...args, "--keep-checkpoints", "1")).stdout);
    expect(all.checkpointsDiscarded).toBe(0);
    expect(kept.checkpointsDiscarded).toBeGreaterThan(0);
    // Retention frees storage only: the experiment itself is the same.
    expect(kept.best).toEqual(all.best);
    expect(kept.checkpoints).toBe(all.checkpoints);
  });

  it.each([
    [["--benchmark", "nope"], '--benchmark: got unknown name "nope"; known: branin, hartmann3, hartmann6, rosenbrock4'],
    [["--searcher", "magic"], '--searcher: got unknown name "magic"'],
    [["--scheduler", "lifo"], '--scheduler: got unknown name "lifo"'],
    [["--trials", "abc"], '--trials: must be an integer >= 1, got "abc"'],
    [["--trials", "0"], '--trials: must be an integer >= 1, got "0"'],
    [["--gpus", "2.5"], '--gpus: must be an integer >= 1, got "2.5"'],
    [["--preemption-rate", "-1"], '--preemption-rate: must be a finite number >= 0, got "-1"'],
    [["--max-iterations", "x"], '--max-iterations: must be an integer >= 1, got "x"'],
    [["--keep-checkpoints", "0"], '--keep-checkpoints: must be an integer >= 1, got "0"'],
  ])("rejects %j with one line naming the flag (exit 2)", async (args, message) => {
    const r = await tunelab("sim", ...args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("rejects an unknown flag", async () => {
    const r = await tunelab("sim", "--bogus");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--bogus");
  });

  it("a bad flag, in a real process: exit status 2, one line on stderr, nothing on stdout", () => {
    const r = tunelabProcess("sim", "--trials", "0");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tunelab: --trials: must be an integer >= 1, got "0"\n');
    expect(r.stdout).toBe("");
  });

  it("compare (what npm start runs) prints a table of the default pairs", async () => {
    const r = await tunelab("compare", "--trials", "8", "--seeds", "2", "--max-iterations", "10");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/searcher\s+scheduler\s+regret/);
    for (const [searcher, scheduler] of [["random", "fifo"], ["random", "asha"], ["tpe", "fifo"], ["bohb", "hyperband-bohb"]]) {
      expect(r.stdout).toMatch(new RegExp(`\\n${searcher}\\s+${scheduler}\\s+`));
    }
  });

  it("compare gives every pair the same compute by default: ASHA with promotion then trains trials to the end", async () => {
    const r = await tunelab("compare", "--pairs", "random:fifo,random:asha-promotion", "--seeds", "1", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ trials: null, budget: { gpuHours: 2 }, maxIterations: 100 });
    const [fifo, promotion] = out.rows;
    // Equal compute: both spend the 2 GPU-hours (within one step per GPU).
    for (const row of out.rows) expect(Math.abs(row.gpuHours - 2)).toBeLessThan(0.02);
    // At 40 trials promotion never got past iteration 16 (regret 8.59); with the same compute as FIFO it promotes to 100.
    expect(promotion.deepest).toBe(100);
    expect(promotion.trials).toBeGreaterThan(fifo.trials);
    expect(promotion.regret).toBeLessThan(fifo.regret);
  });

  it("compare takes explicit pairs and names a bad one", async () => {
    const r = await tunelab("compare", "--trials", "4", "--seeds", "1", "--max-iterations", "5", "--pairs", "grid:fifo", "--grid-points", "2");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\ngrid\s+fifo\s+/);
    const bad = await tunelab("compare", "--pairs", "random-fifo");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe('tunelab: --pairs: needs searcher:scheduler items separated by commas, got "random-fifo"');
  });
});
