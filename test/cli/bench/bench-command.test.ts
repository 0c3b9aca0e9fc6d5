import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const tunelab = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin/tunelab.js"), ...args], { cwd: root, encoding: "utf8" });

describe("tunelab bench", () => {
  it("runs a suite, prints and writes the figures, and resumes without recomputing", () => {
    const out = mkdtempSync(join(tmpdir(), "tunelab-bench-cli-"));
    const args = ["bench", "--suite", "rl", "--methods", "random:fifo,random:pbt", "--seeds", "1", "--threads", "0", "--out", out];
    const first = tunelab(...args, "--progress"); // stderr is a pipe: forced progress is plain lines
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/rl: 2 methods x 3 benchmarks x 1 seeds; 6 cells finished, 0 failed/);
    expect(first.stdout).toMatch(/Anytime normalised regret against simulated time/);
    expect(first.stdout).toMatch(/Pairwise Wilcoxon signed-rank tests/);
    expect(first.stdout).toMatch(/wall time [\d.]+ s for 6 new cells/);
    expect(first.stdout).toMatch(/CPU [\d.]+ s \(user\+sys, all threads\) for the new cells; CPU \/ 2 = [\d.]+ s/);
    expect(first.stderr).toMatch(/^bench rl: 6\/6 cells, [\d.]+ cells\/s, \S+ elapsed$/m);
    expect(first.stderr).not.toContain("\u001b[");
    for (const file of ["cells.jsonl", "report.txt", "report.json"]) expect(existsSync(join(out, file))).toBe(true);
    expect(readFileSync(join(out, "cells.jsonl"), "utf8").trim().split("\n")).toHaveLength(6);
    const second = tunelab(...args);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/for 0 new cells .*6 cells were already in/);
    expect(second.stderr).toBe(""); // not a terminal, not forced: no progress
  }, 60_000);

  it("names a bad flag in one line", () => {
    const r = tunelab("bench", "--suite", "nope", "--out", tmpdir());
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('tunelab: --suite: got unknown name "nope"; known: synthetic, lcbench, rl, schedulers, search-bohb, papers');
  });
});
