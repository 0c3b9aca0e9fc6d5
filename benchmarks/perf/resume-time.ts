/**
 * Resume time for an experiment of 1,000 trials (issue 10). Prints `name=value` lines.
 *
 * Builds an interrupted experiment: 1,000 trials x 20 no-op steps in process, checkpoints
 * every 5 on disk, stopped part-way by a simulated full disk (the writes after a budget
 * fail), so some trials ended, some were running with checkpoints, some never started.
 * Then times, from the directory alone:
 *   resume_read_ms             reading experiment_state.json and replaying its journal
 *   resume_to_first_result_ms  tune({ resume: true }) called -> the first new result
 *   resume_seconds_<n>_trials  the same, in seconds (the figure the issue asks for, n = 1000)
 *   resume_total_s             the resumed run to its end
 * and checks the resumed experiment ends with every trial TERMINATED at iteration 20.
 * Against a baseline in the same process: `fresh_to_first_result_ms`, a new experiment's
 * time to its first result (same options).
 *
 *   npx tsx benchmarks/perf/resume-time.ts [--trials 1000]
 *
 * On a loaded machine every figure is inflated: compare resume_vs_fresh_first_result.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { nodeStorageFs, readSavedState, type StorageFs } from "../../core/experiment-dir/index.ts";
import { uniform } from "../../core/space/index.ts";
import { tune, type TuneOptions } from "../../real-backend/index.ts";
import type { Trainable } from "../../real-backend/trainable.ts";
import { parseArgs } from "node:util";
import { numberFlag } from "../script-flags.ts";

const { values: flags } = parseArgs({ options: { trials: { type: "string" } } });
const trials = numberFlag("trials", flags.trials, 1000, { integer: true, min: 1 });
const STEPS = 20;

const steps: Trainable<{ t: number }> = {
  name: "steps",
  init: () => ({ t: 0 }),
  step: (state, config) => ({ metrics: { loss: ((config["x"] as number) - 0.3) ** 2 + 1 / (state.t + 1) }, state: { t: state.t + 1 } }),
};

function options(storagePath: string, extra: Partial<TuneOptions> = {}): TuneOptions {
  const space = { x: uniform(0, 1) };
  return {
    trainable: steps,
    space,
    searcher: new RandomSearch(space, { metric: "loss", mode: "min", seed: 0 }),
    metric: "loss",
    mode: "min",
    trials,
    maxIterations: STEPS,
    checkpointFrequency: 5,
    capacity: { cpu: 8, gpu: 0 },
    storagePath,
    progress: false,
    ...extra,
  };
}

/** node:fs whose appends and writes fail (ENOSPC) after `budget` of them. */
function fullAfter(budget: number): StorageFs {
  let left = budget;
  const gate = () => {
    if (left-- <= 0) throw Object.assign(new Error("ENOSPC: simulated"), { code: "ENOSPC" });
  };
  return { ...nodeStorageFs, writeFile: (p, t) => (gate(), nodeStorageFs.writeFile(p, t)), appendFile: (p, t) => (gate(), nodeStorageFs.appendFile(p, t)) };
}

/** ms from the call to the first result the run reports. */
async function toFirstResult(opts: TuneOptions): Promise<{ firstMs: number; totalS: number; trials: readonly { status: string; iteration: number }[] }> {
  let first = Number.NaN;
  const t0 = performance.now();
  const run = await tune({
    ...opts,
    callbacks: [{ name: "first-result", onTrialResult: () => void (Number.isNaN(first) && (first = performance.now() - t0)) }],
  });
  return { firstMs: first, totalS: (performance.now() - t0) / 1000, trials: run.trials.map((t) => ({ status: t.status, iteration: t.lastResult?.iteration ?? 0 })) };
}

const root = mkdtempSync(join(tmpdir(), "tunelab-resume-bench-"));
try {
  console.log(`machine: loadavg_1m=${loadavg()[0]?.toFixed(1)} trials=${trials}`);
  const fresh = await toFirstResult(options(join(root, "fresh"), { trials: 8 }));
  const dir = join(root, "exp");
  // About 97% of the directory's writes (some 70 a trial: two per result, the journal, the
  // tables): the run stops near its end, with about every trial created.
  await tune(options(dir, { storageFs: fullAfter(Math.round(trials * 70 * 0.97)) })).catch(() => undefined);
  const t0 = performance.now();
  const saved = readSavedState(dir);
  const readMs = performance.now() - t0;
  // The loop's state (version 2) keeps a trial's status in its lifecycle.
  const states = (saved.loop as unknown as { trials: { lifecycle: { status: string } }[] }).trials.map((t) => t.lifecycle.status);
  const count = (s: string) => states.filter((x) => x === s).length;
  console.log(`interrupted: ${saved.trialCount} trials saved (${count("TERMINATED")} ended, ${count("RUNNING")} running, ${count("PENDING")} pending)`);
  const resumed = await toFirstResult(options(dir, { resume: true }));
  const ok = resumed.trials.length === trials && resumed.trials.every((t) => t.status === "TERMINATED" && t.iteration === STEPS);
  if (!ok) throw new Error("the resumed experiment did not end with every trial TERMINATED at its last iteration");
  console.log(`resume_read_ms=${readMs.toFixed(1)}`);
  console.log(`resume_to_first_result_ms=${resumed.firstMs.toFixed(1)}`);
  console.log(`resume_seconds_${trials}_trials=${(resumed.firstMs / 1000).toFixed(3)}`);
  console.log(`fresh_to_first_result_ms=${fresh.firstMs.toFixed(1)}`);
  console.log(`resume_vs_fresh_first_result=${(resumed.firstMs / fresh.firstMs).toFixed(2)}`);
  console.log(`resume_total_s=${resumed.totalS.toFixed(2)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
