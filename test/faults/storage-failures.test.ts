import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OptionError, SavedStateError } from "../../core/contracts/index.ts";
import { EXPERIMENT_STATE_FILE, nodeStorageFs, readSavedState, STATE_FORMAT_VERSION, type StorageFs } from "../../core/experiment-dir/index.ts";
import { tune, type TuneOptions } from "../../real-backend/index.ts";
import { loadExperiment } from "../../results/index.ts";
import { steadyTuneOptions } from "./fixtures/steady-in-process.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-faults-"));

const options = (storagePath: string, extra: Partial<TuneOptions> = {}): TuneOptions => steadyTuneOptions(storagePath, 4, extra);

/** node:fs whose writes fail with `code` once `budget` appends and writes have gone through (a disk filling up). */
function failingAfter(budget: number, code: string): StorageFs & { failed: string[] } {
  let left = budget;
  const failed: string[] = [];
  const gate = (path: string) => {
    if (left-- > 0) return;
    failed.push(path);
    throw Object.assign(new Error(`${code}: simulated, write '${path}'`), { code });
  };
  return {
    ...nodeStorageFs,
    failed,
    writeFile: (path, text) => {
      gate(path);
      nodeStorageFs.writeFile(path, text);
    },
    appendFile: (path, text) => {
      gate(path);
      nodeStorageFs.appendFile(path, text);
    },
  };
}

const summary = (trials: readonly { id: string; status: string; config: unknown; history: readonly { iteration: number; metrics: Record<string, number> }[] }[]) =>
  trials.map((t) => ({ id: t.id, status: t.status, config: t.config, iterations: t.history.map((r) => r.iteration), final: t.history.at(-1)?.metrics["loss"] }));

describe("storage failures: one clear error at the first write, naming the path; nothing written is damaged", () => {
  it("a storagePath that is a file", async () => {
    const file = join(tmp(), "file");
    writeFileSync(file, "x");
    await expect(tune(options(file))).rejects.toThrow(new OptionError("storagePath", `"${file}" is a file, not a directory`));
  });

  it("a storagePath whose parent is a file (the parent cannot be made)", async () => {
    const file = join(tmp(), "file");
    writeFileSync(file, "x");
    const dir = join(file, "exp");
    await expect(tune(options(dir))).rejects.toThrow(`storagePath: cannot write "${dir}": a parent of it is a file, not a directory (ENOTDIR)`);
  });

  it("an unwritable directory (EACCES at the first write)", async () => {
    const dir = join(tmp(), "exp");
    const error = await tune(options(dir, { storageFs: failingAfter(0, "EACCES") })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionError);
    expect((error as Error).message).toMatch(new RegExp(`^storagePath: cannot write "${dir}/[^"]+": permission denied \\(the directory is not writable\\) \\(EACCES\\)$`));
  });

  it("a full disk mid-run: the error names the file; the state already written still resumes, and the resumed run ends as an uninterrupted one", async () => {
    const reference = summary((await tune(options(join(tmp(), "ref")))).trials as never);
    const dir = join(tmp(), "exp");
    const fs = failingAfter(60, "ENOSPC");
    const error = await tune(options(dir, { storageFs: fs })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionError);
    expect((error as Error).message).toBe(`storagePath: cannot write "${fs.failed[0]}": no space left on the device (ENOSPC)`);
    // What was written before the failure is whole: the state parses and every result line is JSON.
    expect(() => readSavedState(dir)).not.toThrow();
    for (const trial of loadExperiment(dir).trials) expect(trial.results.every((r) => typeof r.training_iteration === "number")).toBe(true);
    // Space freed: resume.
    const resumed = await tune(options(dir, { resume: true }));
    expect(summary(resumed.trials as never)).toEqual(reference);
    for (const trial of loadExperiment(dir).trials) expect(trial.results.map((r) => r.training_iteration)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });
});

describe("the experiment directory and resume", () => {
  it("a directory that already holds an experiment, without resume, is an error that says to resume or pick another name", async () => {
    const dir = join(tmp(), "exp");
    await tune(options(dir));
    await expect(tune(options(dir))).rejects.toThrow(
      `storagePath: "${dir}" already holds an experiment: resume it (tune({ ..., resume: true }), tunelab run FILE --resume, or tunelab resume ${dir}) or pick another name or storagePath`,
    );
  });

  it("resuming a finished experiment runs nothing and returns its trials with their full histories", async () => {
    const dir = join(tmp(), "exp");
    const first = await tune(options(dir));
    const again = await tune(options(dir, { resume: true }));
    expect(summary(again.trials as never)).toEqual(summary(first.trials as never));
    expect(again.summary.results).toBe(first.summary.results);
  });

  it("a state from another format version fails naming the version found and the one needed", async () => {
    const dir = join(tmp(), "exp");
    await tune(options(dir));
    const path = join(dir, EXPERIMENT_STATE_FILE);
    const text = readFileSync(path, "utf8");
    const state = JSON.parse(text) as { version: number; journal: string };
    writeFileSync(path, JSON.stringify({ ...state, version: STATE_FORMAT_VERSION + 1 }));
    await expect(tune(options(dir, { resume: true }))).rejects.toThrow(
      new SavedStateError(path, `was written in state format version ${STATE_FORMAT_VERSION + 1}; this TuneLab reads version ${STATE_FORMAT_VERSION} (upgrade TuneLab to resume it)`),
    );
    writeFileSync(path, text);
    // A last commit whose loop state is of an older version.
    const journal = join(dir, state.journal);
    const commit = JSON.parse(readFileSync(journal, "utf8").trimEnd().split("\n").at(-1) as string) as { loop: { version: number } };
    const current = commit.loop.version;
    appendFileSync(journal, JSON.stringify({ ...commit, loop: { ...commit.loop, version: 0 } }) + "\n");
    await expect(tune(options(dir, { resume: true }))).rejects.toThrow(`${path}: holds a loop state of version 0; this TuneLab reads version ${current}`);
  });

  it("resume: true with nothing saved yet starts the experiment", async () => {
    const dir = join(tmp(), "exp");
    const run = await tune(options(dir, { resume: true }));
    expect(run.trials.every((t) => t.status === "TERMINATED")).toBe(true);
    expect(existsSync(join(dir, EXPERIMENT_STATE_FILE))).toBe(true);
  });
});
