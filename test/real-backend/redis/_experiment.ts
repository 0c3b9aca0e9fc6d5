// The seeded experiment the Redis tests run: the plain-JS `steady` trainable (a command, so
// actors start fast), random search, FIFO, checkpoints every few steps. A trial's metrics
// depend only on its config and iteration, so every run of it has the same histories.
import { fileURLToPath } from "node:url";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import { choice, uniform } from "../../../core/space/index.ts";
import type { TuneOptions } from "../../../real-backend/index.ts";

const steady = fileURLToPath(new URL("../../faults/fixtures/steady-worker.mjs", import.meta.url));

export interface ExperimentShape {
  trials: number;
  iterations: number;
  stepMs: number;
}

export function experiment(storagePath: string, shape: ExperimentShape): TuneOptions & { trainable: { command: string[] } } {
  const space = { lr: uniform(0, 1), stepMs: choice([shape.stepMs]) };
  return {
    trainable: { command: [process.execPath, steady] },
    space,
    searcher: new RandomSearch(space, { metric: "loss", mode: "min", seed: 5 }),
    metric: "loss",
    mode: "min",
    trials: shape.trials,
    maxIterations: shape.iterations,
    checkpointFrequency: 3,
    maxFailures: 0,
    seed: 5,
    storagePath,
    progress: false,
  };
}

type TrialLike = { id: string; config: unknown; status: string; history: readonly { iteration: number; metrics: unknown }[] };

/** Each trial's config, status and metric history, by trial id. */
export function histories(trials: readonly TrialLike[]): Record<string, unknown> {
  return Object.fromEntries(trials.map((t) => [t.id, { config: t.config, status: t.status, history: t.history.map((r) => [r.iteration, r.metrics]) }]));
}

/** Whether every trial ended TERMINATED with iterations 1..n, each once. */
export function everyIterationOnce(trials: readonly TrialLike[], n: number): boolean {
  return trials.every((t) => t.status === "TERMINATED" && t.history.length === n && t.history.every((r, k) => r.iteration === k + 1));
}
