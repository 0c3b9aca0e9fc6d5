import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root, validYaml, writeTemp } from "./_experiment-files.ts";

function tunelab(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/tunelab.js"), ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const example = join(root, "examples/experiments/quadratic.yaml");

describe("tunelab run (the command line)", () => {
  it("--dry-run --json prints the resolved README example and runs nothing", () => {
    const r = tunelab("run", "--dry-run", "--json", example);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const document = JSON.parse(r.stdout);
    expect(document.trainable).toEqual({ module: join(root, "examples/experiments/quadratic-trainable.ts") });
    expect(document.space.optimizer.choice[1]).toEqual({ kind: "sign", lr: { loguniform: [0.001, 1] } });
    expect(document.scheduler).toEqual({ name: "asha", timeAttr: "training_iteration", maxT: 27, gracePeriod: 3, reductionFactor: 3 });
    expect(document.searcher).toMatchObject({ name: "tpe", nStartupTrials: 8, nEiCandidates: 24 });
  });

  it("a bad file exits 2 with one 'tunelab:' line per bad field and nothing on stdout", () => {
    const file = writeTemp(validYaml({ trials: "trials: -1", space: "space:\n  lr: { loguniform: [0, 1] }", extra: "scheduler: { name: asha, reductionFactor: 1 }" }));
    const r = tunelab("run", file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      "tunelab: trials: must be an integer >= 1, got -1",
      "tunelab: space.lr.loguniform[0]: must be > 0, got 0",
      "tunelab: scheduler.reductionFactor: must be a finite number > 1, got 1",
    ]);
  });

  it("runs the README example and prints one JSON summary", () => {
    const r = tunelab("run", "--json", example);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0] as string);
    expect(summary).toMatchObject({ name: "quadratic", searcher: "tpe", scheduler: "asha", metric: "loss", mode: "min", trials: 24 });
    expect(summary.trialStates.TERMINATED).toBe(24);
    expect(summary.best.metric).toBeLessThan(0.01);
  });
});
