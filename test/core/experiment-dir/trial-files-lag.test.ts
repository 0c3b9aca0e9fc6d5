import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSavedState } from "../../../core/experiment-dir/index.ts";
import { tune, type TuneOptions } from "../../../real-backend/index.ts";
import { loadExperiment } from "../../../results/index.ts";
import { steadyTuneOptions } from "../../faults/fixtures/steady-in-process.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-lag-"));

const options = (storagePath: string, extra: Partial<TuneOptions> = {}): TuneOptions => steadyTuneOptions(storagePath, 7, extra);

const journalOf = (dir: string) => join(dir, readdirSync(dir).find((n) => n.startsWith("experiment_state.trials.")) as string);
const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter((l) => l !== "");

/**
 * The per-trial files are written off the event loop, after the journal's commit. This
 * builds the directory a driver killed between the two leaves: a whole run's journal cut
 * back to an earlier commit (the journal is append-only, so its first k lines are exactly
 * what commit k left), and every trial's files behind that commit in a different way:
 * missing, short, torn mid-line, progress.csv or params.json missing. Then it resumes.
 */
describe("per-trial files that lag the journal are rebuilt from it on resume", () => {
  it("a kill between a journal commit and the queued per-trial writes: after resume every file is complete, each result once, as an uninterrupted run", async () => {
    const reference = await tune(options(join(tmp(), "ref")));
    const dir = join(tmp(), "exp");
    await tune(options(dir));
    const journal = journalOf(dir);
    const commits = lines(journal);
    expect(commits.length).toBeGreaterThan(8);
    // Back to a commit in the middle of the run: some trials ended, some running, some not yet created.
    const keep = Math.floor(commits.length / 2);
    writeFileSync(journal, commits.slice(0, keep).join("\n") + "\n");
    const atCommit = readSavedState(dir);
    const journaled = (atCommit.loop as unknown as { trials: { id: string; history: unknown[] }[] }).trials;
    expect(journaled.length).toBeGreaterThan(1);
    const lags = ["missing-dir", "empty", "short", "torn", "no-progress", "no-params"];
    journaled.forEach((trial, i) => {
      const tdir = join(dir, trial.id);
      const result = join(tdir, "result.jsonl");
      const how = lags[i % lags.length];
      if (how === "missing-dir") rmSync(tdir, { recursive: true });
      else if (how === "empty") truncateSync(result, 0);
      else if (how === "short") writeFileSync(result, lines(result).slice(0, 1).join("\n") + "\n");
      else if (how === "torn") truncateSync(result, Math.max(1, readFileSync(result).length - 17));
      else if (how === "no-progress") rmSync(join(tdir, "progress.csv"));
      else if (how === "no-params") rmSync(join(tdir, "params.json"));
    });
    // The experiment had ended; at this commit it had not.
    expect(atCommit.ended).toBe(false);

    const resumed = await tune(options(dir, { resume: true }));
    const summary = (trials: typeof resumed.trials) => trials.map((t) => ({ id: t.id, status: t.status, config: t.config, iterations: t.history.map((r) => r.iteration), final: t.history.at(-1)?.metrics["loss"] }));
    expect(summary(resumed.trials)).toEqual(summary(reference.trials));
    const ITERATIONS = Array.from({ length: 10 }, (_, i) => i + 1);
    for (const trial of resumed.trials) {
      const tdir = join(dir, trial.id);
      expect(JSON.parse(readFileSync(join(tdir, "params.json"), "utf8")).trial_id).toBe(trial.id);
      // No duplicate lines: every raw result line is a different result, and the ones standing are 1..10 once.
      const raw = lines(join(tdir, "result.jsonl"));
      expect(new Set(raw).size, trial.id).toBe(raw.length);
      const rows = lines(join(tdir, "progress.csv"));
      expect(rows[0]).toBe("training_iteration,time,time_total_s,done,loss");
      expect(rows.slice(1).map((r) => Number(r.split(",")[0])), trial.id).toEqual(ITERATIONS);
    }
    for (const trial of loadExperiment(dir).trials) {
      expect(trial.results.map((r) => r.training_iteration), trial.id).toEqual(ITERATIONS);
      expect(trial.results.at(-1)?.metrics["loss"]).toBe(resumed.trials.find((t) => t.id === trial.id)?.history.at(-1)?.metrics["loss"]);
    }
    expect(existsSync(join(dir, "trials.csv"))).toBe(true);
  });
});
