import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resumeCommand } from "../../cli/resume-command.ts";
import { runCommand } from "../../cli/run-command.ts";
import { uniform } from "../../core/space/index.ts";
import { tune } from "../../real-backend/index.ts";
import { validYaml, writeTemp } from "./_experiment-files.ts";

/** Runs a CLI action, returning what it printed and the exit code it set. */
async function cli(action: () => Promise<void>): Promise<{ stdout: string; stderr: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => (out.push(String(c)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => (err.push(String(c)), true));
  process.exitCode = 0;
  try {
    await action();
  } finally {
    vi.restoreAllMocks();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout: out.join(""), stderr: err.join(""), code };
}

describe("tunelab run --resume and tunelab resume DIR", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a rerun without --resume is refused; --resume and `resume DIR` carry on the saved experiment (here: finished, so nothing runs)", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "tunelab-resume-")), "exp");
    const file = writeTemp(validYaml({ trials: "trials: 3", maxIterations: "maxIterations: 4", storagePath: `storagePath: ${dir}` }));
    const first = await cli(() => runCommand(file, { json: true }));
    expect(first.code, first.stderr).toBe(0);
    const again = await cli(() => runCommand(file, { json: true }));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`already holds an experiment: resume it`);
    const resumed = await cli(() => runCommand(file, { json: true, resume: true }));
    expect(resumed.code, resumed.stderr).toBe(0);
    const byDir = await cli(() => resumeCommand(dir, { json: true }));
    expect(byDir.code, byDir.stderr).toBe(0);
    const pick = (s: string) => {
      const j = JSON.parse(s) as { best: unknown; trials: unknown };
      return { best: j.best, trials: j.trials };
    };
    expect(pick(resumed.stdout)).toEqual(pick(first.stdout));
    expect(pick(byDir.stdout)).toEqual(pick(first.stdout));
  });

  it("`resume DIR` of an experiment started by tune() in code says to call tune() with resume: true", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "tunelab-resume-")), "exp");
    await tune({
      trainable: { name: "t", init: () => 0, step: (s: number) => ({ metrics: { loss: 1 / (s + 1) }, state: s + 1 }) },
      space: { x: uniform(0, 1) },
      metric: "loss",
      mode: "min",
      trials: 2,
      maxIterations: 2,
      storagePath: dir,
      progress: false,
    });
    const r = await cli(() => resumeCommand(dir, {}));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `tunelab: DIR: "${dir}" was started by tune() in code (its object trainable and options live only in that program), so tunelab resume cannot rebuild it: call tune() again with the same options and resume: true\n`,
    );
    const none = await cli(() => resumeCommand(join(dir, "nowhere"), {}));
    expect(none.stderr).toContain("holds no saved experiment");
  });
});
