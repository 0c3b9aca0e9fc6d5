import { pathToFileURL } from "node:url";
import { OptionError } from "../../core/errors/index.ts";
import { MaximumIterationStopper } from "../../core/stoppers/index.ts";
import { tune, type Trainable, type TuneRun } from "../../real-backend/index.ts";
import type { ExperimentTuneOptions } from "./tune-options.ts";

/**
 * BRIDGE, to delete when issue 9's process executor merges (the lead wires it): today's
 * tune() takes only an in-process trainable object and none of the process executor's
 * options. Until then a file's module trainable is imported here, in the driver, and must
 * export the object form (`init`/`step`); `command`, `stepTimeoutSeconds` and `reuseActors`
 * are refused with a one-line error rather than ignored, and `maxIterations` becomes a
 * MaximumIterationStopper. After the merge, run-command.ts calls
 * `tune(experimentToTuneOptions(resolved))` directly and this file goes.
 */
export async function runInProcess(options: ExperimentTuneOptions): Promise<TuneRun> {
  const unsupported = (field: string) => new OptionError(field, "needs the process executor (issue 9), which this build of tunelab does not have yet");
  if ("command" in options.trainable) throw unsupported("trainable.command");
  if (options.stepTimeoutSeconds !== undefined) throw unsupported("stepTimeoutSeconds");
  if (options.reuseActors !== undefined) throw unsupported("reuseActors");
  const trainable = await importTrainable(options.trainable.module, options.trainable.export ?? "default");
  return tune({
    trainable,
    space: options.space,
    metric: options.metric,
    mode: options.mode,
    trials: options.trials,
    seed: options.seed,
    searcher: options.searcher,
    scheduler: options.scheduler,
    resources: options.resources,
    ...(options.maxIterations !== undefined ? { stoppers: [new MaximumIterationStopper(options.maxIterations)] } : {}),
    ...(options.storagePath !== undefined ? { storagePath: options.storagePath } : {}),
    ...(options.maxFailures !== undefined ? { maxFailures: options.maxFailures } : {}),
    ...(options.checkpointFrequency !== undefined ? { checkpointFrequency: options.checkpointFrequency } : {}),
    ...(options.keepCheckpoints !== undefined ? { keepCheckpoints: options.keepCheckpoints } : {}),
  });
}

async function importTrainable(module: string, exportName: string): Promise<Trainable> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    throw new OptionError("trainable.module", `cannot load ${module}: ${first}`);
  }
  const value = namespace[exportName];
  if (value === undefined) {
    const names = Object.keys(namespace).join(", ") || "none";
    throw new OptionError(exportName === "default" ? "trainable.module" : "trainable.export", `${module} has no export "${exportName}"; its exports: ${names}`);
  }
  const candidate = value as Partial<Trainable>;
  if (typeof value !== "object" || value === null || typeof candidate.init !== "function" || typeof candidate.step !== "function") {
    throw new OptionError("trainable.export", `export "${exportName}" of ${module} is not a trainable object with init and step`);
  }
  return value as Trainable;
}
