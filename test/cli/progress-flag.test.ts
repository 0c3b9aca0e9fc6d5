import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { progressSetting } from "../../cli/progress-flag.ts";
import { tunelabInProcess } from "../_helpers/tunelab-in-process.ts";

const root = resolve(import.meta.dirname, "../..");
const tunelab = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin/tunelab.js"), ...args], { cwd: root, encoding: "utf8" });

describe("--progress, --no-progress and --quiet", () => {
  it("left out: on a terminal only; --quiet: off; --quiet with --progress: an error naming both", () => {
    expect(progressSetting({})).toBe("auto");
    expect(progressSetting({ progress: true })).toBe(true);
    expect(progressSetting({ progress: false })).toBe(false);
    expect(progressSetting({ quiet: true })).toBe(false);
    expect(progressSetting({ quiet: true, progress: false })).toBe(false);
    expect(() => progressSetting({ quiet: true, progress: true })).toThrow("--quiet: cannot be combined with --progress");
  });

  it("tunelab sim --quiet writes its report and says nothing on stderr (in process; the bad pair in a real one)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunelab-quiet-"));
    const report = join(dir, "r.html");
    const r = await tunelabInProcess(["sim", "--benchmark", "branin", "--trials", "3", "--max-iterations", "5", "--quiet", "--json", "--report", report]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(existsSync(report)).toBe(true);
    expect(JSON.parse(r.stdout).trials).toBe(3);
    const bad = tunelab("sim", "--quiet", "--progress");
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe("tunelab: --quiet: cannot be combined with --progress");
  }, 120_000);
});
