import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { root, validYaml, writeTemp } from "./_experiment-files.ts";

describe("tunelab run --report", () => {
  it("writes the HTML report of the run's experiment directory (tune()'s default one when the file names none)", () => {
    const home = mkdtempSync(join(tmpdir(), "tunelab-home-"));
    const file = writeTemp(validYaml({ trials: "trials: 3", maxIterations: "maxIterations: 4", extra: "scheduler: { name: asha, gracePeriod: 1, reductionFactor: 2 }" }));
    const report = join(dirname(file), "out.html");
    const r = spawnSync(process.execPath, [join(root, "bin/tunelab.js"), "run", "--json", "--report", report, file], { cwd: root, encoding: "utf8", env: { ...process.env, HOME: home, TUNELAB_RESULTS_DIR: "" } }); // empty: the default root under HOME
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim()).trials).toBe(3); // stdout stays one JSON object
    expect(r.stderr).toContain(`tunelab: wrote ${report}`);
    expect(existsSync(join(home, "tunelab_results", "quad", "trials.csv"))).toBe(true);
    const html = readFileSync(report, "utf8");
    expect(html).toContain('data-figure="quad-learning-curves"');
    expect(html).toContain('data-figure="best-vs-time"');
    expect(html).toContain("wall seconds");
  }, 60_000);
});
