import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tunelabInProcess } from "../_helpers/tunelab-in-process.ts";

const root = resolve(import.meta.dirname, "../..");

/** A real `tunelab` process: for its exit status. */
function tunelabProcess(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/tunelab.js"), ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same program in this process (no start-up). */
const tunelab = (...args: string[]) => tunelabInProcess(args);

describe("tunelab sim --out and tunelab analyze", () => {
  const out = join(mkdtempSync(join(tmpdir(), "tunelab-cli-")), "exp");
  let sim: Awaited<ReturnType<typeof tunelab>>;
  beforeAll(async () => {
    sim = await tunelab("sim", "--scheduler", "asha", "--trials", "12", "--max-iterations", "9", "--out", out, "--json");
  }, 60_000); // the first in-process run loads the simulator's modules (a hook's default limit is 10 s)

  it("sim --out writes the experiment directory and still prints one JSON object", () => {
    expect(sim.code).toBe(0);
    expect(sim.stdout.trim().split("\n")).toHaveLength(1);
    for (const f of ["experiment.json", "trials.csv", "decisions.jsonl", "trace.jsonl", "t00000/result.jsonl", "t00000/progress.csv", "t00000/params.json"]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
  });

  it("analyze --json names the same best trial as the simulation", async () => {
    const r = await tunelab("analyze", out, "--json");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.best[0].trialId).toBe(JSON.parse(sim.stdout).best.trialId);
    expect(report.statusCounts.TERMINATED).toBe(12);
    expect(report.trials).toBe(12);
  });

  it("analyze prints the status counts and a table", async () => {
    const r = await tunelab("analyze", out, "--top", "3");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("12 trials (TERMINATED 12)");
    expect(r.stdout.split("\n").filter((l) => /^t\d{5}/.test(l))).toHaveLength(3);
  });

  it("a wrong metric or a missing directory is one line on stderr, exit 2 (the missing one in a real process)", async () => {
    const bad = await tunelab("analyze", out, "--metric", "accuracy");
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain('metric: "accuracy" is not in the results');
    const missing = tunelabProcess("analyze", join(out, "nope"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does not exist");
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("report writes one HTML file, or one SVG per figure with --format svg", async () => {
    const html = join(out, "..", "r.html");
    const r = await tunelab("report", out, "--out", html);
    expect(r.code).toBe(0);
    expect(readFileSync(html, "utf8")).toContain('data-figure="exp-learning-curves"');
    const svgDir = join(out, "..", "figs");
    expect((await tunelab("report", out, "--format", "svg", "--out", svgDir)).code).toBe(0);
    expect(readdirSync(svgDir).sort()).toEqual(["best-vs-gpu-hours.svg", "best-vs-time.svg", "exp-cluster-timeline.svg", "exp-configs-vs-metric.svg", "exp-learning-curves.svg"]);
    const bad = await tunelab("report", out, "--format", "png");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--format");
  });
});
