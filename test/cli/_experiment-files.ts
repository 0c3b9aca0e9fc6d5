import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { OptionError } from "../../core/errors/index.ts";
import { loadExperiment } from "../../cli/run-command.ts";

export const root = resolve(import.meta.dirname, "../..");
export const quadraticTrainable = join(root, "examples/experiments/quadratic-trainable.ts");

/** A valid experiment, as YAML lines, that tests break one field at a time. */
export function validYaml(overrides: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    name: "name: quad",
    trainable: `trainable: ${quadraticTrainable}`,
    space: "space:\n  start: { uniform: [-10, 10] }\n  optimizer:\n    choice:\n      - { kind: sgd, lr: { loguniform: [1e-3, 1] }, momentum: { choice: [0, 0.9] } }\n      - { kind: sign, lr: { loguniform: [1e-3, 1] } }",
    metric: "metric: loss",
    mode: "mode: min",
    trials: "trials: 6",
    maxIterations: "maxIterations: 9",
    ...overrides,
  };
  return Object.values(fields).filter((line) => line !== "").join("\n") + "\n";
}

/** Writes `text` as `name` in a fresh temporary directory; returns its path. */
export function writeTemp(text: string, name = "experiment.yaml"): string {
  const dir = mkdtempSync(join(tmpdir(), "tunelab-run-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The lines of the OptionError loading `file` throws (fails the test when it loads). */
export function problemLines(file: string): string[] {
  try {
    loadExperiment(file);
  } catch (error) {
    if (error instanceof OptionError) return error.message.split("\n");
    throw error;
  }
  throw new Error(`expected ${file} to be rejected`);
}
