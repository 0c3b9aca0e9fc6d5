import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { benchmarkNames } from "../../benchmarks/objectives/index.ts";
import { suiteNames } from "../../benchmarks/suites/index.ts";
import { schedulerNames, searcherNames } from "../../cli/algorithms.ts";
import { BENCHMARK_NAMES, BUILTIN_SUITE_NAMES, SCHEDULER_NAMES, SEARCHER_NAMES } from "../../cli/help-names.ts";
import { tunelabCli } from "../_helpers/tunelab-cli.ts";

const root = resolve(import.meta.dirname, "../..");

describe("the names tunelab --help lists", () => {
  // main.ts registers the commands from these constants so it need not load the registries.
  it("are the registries' names, in their order", () => {
    expect(BENCHMARK_NAMES).toEqual(benchmarkNames);
    expect(SEARCHER_NAMES).toEqual(searcherNames);
    expect(SCHEDULER_NAMES).toEqual(schedulerNames);
    expect(suiteNames().slice(0, BUILTIN_SUITE_NAMES.length)).toEqual(BUILTIN_SUITE_NAMES);
  });
});

describe("tunelab's lazy commands", () => {
  it("--help lists every command, and a command's --help its flags and names", () => {
    const top = tunelabCli(["--help"]);
    expect(top.code).toBe(0);
    for (const command of ["sim", "compare", "run", "resume", "bench", "analyze", "report", "check", "worker"]) {
      expect(top.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
    const sim = tunelabCli(["sim", "--help"]);
    expect(sim.code).toBe(0);
    expect(sim.stdout).toContain("--scheduler <name>");
    // commander wraps long descriptions: compare with the whitespace folded.
    const text = sim.stdout.replace(/\s+/g, " ");
    expect(text).toContain(`trial scheduler: ${SCHEDULER_NAMES.join(", ")}`);
    expect(text).toContain(`search algorithm: ${SEARCHER_NAMES.join(", ")}`);
  });

  it("--version loads commander and no command module (no algorithm, simulator or result writer)", () => {
    const record = join(mkdtempSync(join(tmpdir(), "tunelab-loads-")), "loaded.txt");
    const r = spawnSync(process.execPath, ["--import", join(root, "test/cli/fixtures/record-loads.mjs"), join(root, "bin/tunelab.js"), "--version"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, TUNELAB_RECORD_LOADS: record },
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const loaded = readFileSync(record, "utf8").trim().split("\n");
    expect(loaded).toContainEqual(expect.stringContaining("/cli/main.ts"));
    const ours = loaded.filter((url) => url.startsWith("file:") && !url.includes("/node_modules/"));
    expect(ours.filter((url) => /\/(algorithms|simulator|results|real-backend|core\/experiment)\/|-command\.ts$/.test(url))).toEqual([]);
    // bin, main, the version, the help names, the paper groups, the errors: a handful, not the tree.
    expect(ours.length).toBeLessThan(15);
  });
});
