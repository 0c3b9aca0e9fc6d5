/**
 * The Fashion-MNIST trainable through the real thing: the experiment file resolves,
 * and a PBT run in worker processes exploits, which moves the donor's checkpointed
 * weights into the clone's process (each trial's stdout.log prints the weights'
 * SHA-256 at every save and load). Needs Debian's dataset-fashion-mnist.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PopulationBasedTraining } from "../../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import { loadExperiment } from "../../../cli/run-command.ts";
import { choice, loguniform, type Space } from "../../../core/space/index.ts";
import { tune } from "../../../real-backend/index.ts";

const ROOT = resolve(import.meta.dirname, "../../..");

describe("Fashion-MNIST in worker processes", () => {
  it("examples/fashion-mnist.yaml resolves to the class trainable", () => {
    const e = loadExperiment(join(ROOT, "examples/fashion-mnist.yaml"));
    expect(e.trainable).toEqual({ module: join(ROOT, "tfjs/fashion-mnist/trainable.ts") });
    expect([e.metric, e.mode, e.searcher.name, e.scheduler.name]).toEqual(["accuracy", "max", "tpe", "asha"]);
  });

  it("a PBT exploit loads the donor's saved weights into the clone, whose own weights were different", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunelab-fmnist-pbt-"));
    // A list for batchSize: PBT shifts a list's value to a neighbour (a domain's value would be multiplied: 32 -> 25.6).
    const BATCH_SIZES = [16, 32];
    const space: Space = { model: "mlp", lr: loguniform(1e-3, 1e-2), batchSize: choice(BATCH_SIZES), hidden: 8, trainRows: 128, validationRows: 50, batchesPerStep: 1 };
    const common = { metric: "accuracy", mode: "max" } as const;
    const run = await tune({
      trainable: { module: join(ROOT, "tfjs/fashion-mnist/trainable.ts") },
      storagePath: dir,
      space,
      ...common,
      trials: 2,
      maxIterations: 4,
      searcher: new RandomSearch(space, { ...common, seed: 3 }),
      // quantile 0.5 of 2: the worse trial clones the better at every perturbation.
      // Iterations, not the default time_total_s: seconds depend on how loaded the machine is.
      scheduler: new PopulationBasedTraining({ ...common, seed: 3, timeAttr: "training_iteration", perturbationInterval: 2, quantileFraction: 0.5, hyperparamMutations: { lr: space["lr"] as never, batchSize: BATCH_SIZES }, synch: true }),
      resources: { cpu: 1, gpu: 0 },
      capacity: { cpu: 2, gpu: 0 },
      progress: false,
    });
    expect(run.trials.map((t) => t.status)).toEqual(["TERMINATED", "TERMINATED"]);
    const logs = readdirSync(dir)
      .filter((d) => d.startsWith("t0"))
      .map((d) => ({ trial: d, lines: readFileSync(join(dir, d, "stdout.log"), "utf8").split("\n") }));
    const saved = new Map<string, string>();
    for (const { lines } of logs) for (const l of lines) {
      const m = /^saved checkpoint (\S+): weights sha256 ([0-9a-f]{64})$/.exec(l);
      // Saves go into <checkpoint>.tmp, renamed into place once whole.
      if (m) saved.set((m[1] as string).replace(/\.tmp$/, ""), m[2] as string);
    }
    const exploits = logs.flatMap(({ trial, lines }) =>
      lines.flatMap((l) => {
        const m = /^loaded checkpoint (\S+): weights sha256 ([0-9a-f]{64})$/.exec(l);
        return m && !(m[1] as string).includes(`/${trial}/`) ? [{ trial, from: m[1] as string, digest: m[2] as string, lines }] : [];
      }),
    );
    expect(exploits.length).toBeGreaterThanOrEqual(1);
    for (const e of exploits) {
      // Equal after: what the clone loaded is exactly what the donor saved.
      expect(e.digest).toBe(saved.get(e.from));
      // Different before: the clone's own weights at its own last save.
      const own = e.lines.flatMap((l) => /^saved checkpoint \S+: weights sha256 ([0-9a-f]{64})$/.exec(l)?.[1] ?? []);
      for (const d of own) expect(d).not.toBe(e.digest);
    }
    // Each trial says which backend trained it.
    for (const { lines } of logs) expect(lines.some((l) => /^trial t\d+ \(pid \d+, CUDA_VISIBLE_DEVICES=.*\): tfjs backend wasm \[wasm\]/.test(l))).toBe(true);
  }, 180_000);
});
