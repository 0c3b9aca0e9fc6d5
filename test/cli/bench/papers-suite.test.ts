import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PAPER_CHECK_GROUPS, runPaperChecks } from "../../../benchmarks/papers/index.ts";
import { papersSuite, suiteByName, validateSuite, type CellRecord, type PaperCheckCell, type PaperCheckSuite } from "../../../benchmarks/suites/index.ts";
import { gridCells, runGrid } from "../../../cli/bench/run-grid.ts";

const root = resolve(import.meta.dirname, "../../..");
const fast: PaperCheckSuite = { ...papersSuite, name: "test-papers-grid", benchmarks: ["hyperband", "pbt-toy"] };
const checksOf = (records: readonly CellRecord[]) => records.map((r) => (r.ok && "checks" in r ? (r as PaperCheckCell).checks : []));
const withoutSeconds = (records: readonly CellRecord[]) => checksOf(records).map((checks) => checks.map(({ seconds: _s, ...rest }) => rest));

describe("the papers suite", () => {
  it("is registered, has every check group as a cell, and names a bad field", () => {
    expect(suiteByName("papers")).toBe(papersSuite);
    expect(gridCells(papersSuite, ["random:fifo"], 7).map((c) => `${c.method}|${c.benchmark}|${c.seed}`)).toEqual(PAPER_CHECK_GROUPS.map((g) => `paper|${g}|0`));
    expect(() => validateSuite({ ...papersSuite, benchmarks: ["hyperband", "nope"] })).toThrow('suite papers.benchmarks: got unknown check group "nope"; known: hyperband, asha, pbt-toy, bohb, pb2');
    expect(() => validateSuite({ ...papersSuite, checkSeeds: 1 })).toThrow("suite papers.checkSeeds: must be an integer >= 2, got 1");
  });

  it("a cell runs its group's checks (the same outcomes as `tunelab check papers`), and a finished cell is never recomputed", async () => {
    const out = mkdtempSync(join(tmpdir(), "tunelab-bench-papers-"));
    const first = await runGrid({ suite: fast, methods: [], seeds: 1, out, threads: 0, progress: false });
    expect(first.computed).toBe(2);
    expect(first.records.map((r) => r.key)).toEqual(["test-papers-grid|paper|hyperband|0", "test-papers-grid|paper|pbt-toy|0"]);
    const direct = runPaperChecks({ groups: ["hyperband", "pbt-toy"], seeds: fast.checkSeeds }).map(({ seconds: _s, ...rest }) => rest);
    expect(withoutSeconds(first.records).flat()).toEqual(direct);
    expect(direct.map((o) => o.id)).toContain("hyperband.budget");
    expect(direct.every((o) => o.pass)).toBe(true);
    expect(readFileSync(join(out, "cells.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);

    const again = await runGrid({ suite: fast, methods: [], seeds: 1, out, threads: 0, progress: false });
    expect(again.computed).toBe(0);
    expect(again.records).toEqual(first.records);
    // Other statistical seeds are another measurement: both groups run again.
    const reseeded = await runGrid({ suite: { ...fast, checkSeeds: 3 }, methods: [], seeds: 1, out, threads: 0, progress: false });
    expect(reseeded.computed).toBe(2);
    expect(reseeded.records.every((r) => r.ok && "checkSeeds" in r && r.checkSeeds === 3)).toBe(true);
  }, 60_000);

  it("runs on the worker pool as in-thread; an unknown group is a recorded failure, not a lost grid", async () => {
    const suite: PaperCheckSuite = { ...fast, benchmarks: ["hyperband", "nope"] };
    const pooled = await runGrid({ suite, methods: [], seeds: 1, out: mkdtempSync(join(tmpdir(), "tunelab-bench-papers-")), threads: 1, progress: false });
    expect(pooled.records.map((r) => r.ok)).toEqual([true, false]);
    expect(pooled.records[1]?.ok === false && pooled.records[1].error).toBe('benchmark: got unknown check group "nope"; known: hyperband, asha, pbt-toy, bohb, pb2');
    expect(withoutSeconds(pooled.records)[0]).toEqual(runPaperChecks({ groups: ["hyperband"] }).map(({ seconds: _s, ...rest }) => rest));
  }, 60_000);

  it("tunelab bench --suite prints check papers' table (paper, ours, pass), writes it, and resumes", () => {
    const out = mkdtempSync(join(tmpdir(), "tunelab-bench-papers-cli-"));
    const fixture = join(import.meta.dirname, "fixtures/register-paper-suite.ts");
    const tunelab = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin/tunelab.js"), "bench", "--suite", "test-papers", "--import", fixture, "--threads", "0", "--out", out, ...args], { cwd: root, encoding: "utf8" });
    const first = tunelab();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Li et al\. 2018, HyperBand, Table 1 \(R=81, eta=3\) \([\d.]+ s\)$/m);
    expect(first.stdout).toMatch(/budget units per band \(sum n_i r_i\)\s+1902\s+1902\s+equal\s+pass/);
    expect(first.stdout).toMatch(/grid search best Q.*\s0\.39\s+0\.3897\s+within 0\.005\s+pass/);
    expect(first.stdout).toMatch(/^7\/7 checks pass$/m);
    expect(first.stdout).toMatch(/wall time [\d.]+ s for 2 new cells; 0 cells were already in .* \(statistical checks: 10 seeds\)/);
    expect(readFileSync(join(out, "report.txt"), "utf8")).toBe(first.stdout);
    expect((JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as { checks: unknown[] }).checks).toHaveLength(7);
    const second = tunelab();
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/for 0 new cells; 2 cells were already in/);
    expect(second.stdout).toMatch(/^7\/7 checks pass$/m);
    const methods = tunelab("--methods", "random:fifo");
    expect(methods.status).toBe(2);
    expect(methods.stderr.trim()).toBe("tunelab: --methods: suite test-papers runs each check's own methods (as in its paper); leave --methods out");
  }, 90_000);
});
