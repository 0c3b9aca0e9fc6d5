import { basename, resolve } from "node:path";
import { defaultAlgorithms } from "../../algorithms/experiment-defaults.ts";
import { OptionError } from "../../core/contracts/index.ts";
import type { ExperimentOrigin } from "../../core/experiment-dir/index.ts";
import { runExperiment, type ExperimentOptions } from "../../core/experiment/index.ts";
import type { TrainableSource } from "../process/process-executor.ts";
import { defaultExperimentDir, type TuneRun } from "../tune.ts";
import { RedisDriverConnection, type RedisDriverOptions } from "./driver-connection.ts";
import { RedisExecutor, type RedisExecutorCounts } from "./redis-executor.ts";

export interface RedisTuneOptions extends ExperimentOptions {
  /** The Redis the workers joined: a URL, or `{ url, namespace, workerTimeoutSeconds, ... }`. */
  redis: RedisDriverOptions | string;
  /** A module path or a command that exists, at the same path, on every worker's machine. */
  trainable: TrainableSource;
  name?: string;
  /** The experiment directory, on a path every worker reaches (checkpoints and trial logs go there). @defaultValue as tune() */
  storagePath?: string;
  stepTimeoutSeconds?: number;
  reuseActors?: boolean;
  maxMemoryMB?: number;
}

export interface RedisTuneRun extends TuneRun {
  /** Exactly-once and failure figures of the run. */
  redis: RedisExecutorCounts;
  /** Trial starts per worker id. */
  placements: Record<string, number>;
}

/**
 * `tune()` on many machines: the same experiment, its trials run by `tunelab worker`s
 * through Redis. The driver (this process) keeps the loop, the algorithms and the
 * experiment directory's journal, the source of truth: `resume: true` carries on
 * against the same Redis and workers after the driver was killed.
 */
export async function tuneOnRedis(given: RedisTuneOptions): Promise<RedisTuneRun> {
  const source = checkSource(given);
  return tuneOnRedisFrom(given, { kind: "code", trainable: "module" in source ? "module" : "command" });
}

/** `tuneOnRedis()` with how to rebuild the experiment recorded (`tunelab run FILE --redis URL` records its file). */
export async function tuneOnRedisFrom(given: RedisTuneOptions, origin: ExperimentOrigin): Promise<RedisTuneRun> {
  const source = checkSource(given);
  if (given.resume === true && given.storagePath === undefined && given.name === undefined) {
    throw new OptionError("resume", "needs the name (or storagePath) of the experiment to resume");
  }
  const storagePath = resolve(given.storagePath ?? defaultExperimentDir(given.name));
  const options = { ...given, storagePath };
  const connection = await RedisDriverConnection.open(given.redis);
  let executor: RedisExecutor | undefined;
  try {
    const run = await runExperiment({
      options,
      subject: { name: "module" in source ? basename(source.module) : source.command.join(" ") },
      subjectKind: "trainable",
      logging: { kind: "real", progress: "auto" },
      defaults: defaultAlgorithms,
      origin,
      executor: ({ seed }) =>
        (executor = new RedisExecutor({
          connection,
          trainable: source,
          seed,
          experimentDir: storagePath,
          ...(given.reuseActors !== undefined ? { reuseActors: given.reuseActors } : {}),
          ...(given.stepTimeoutSeconds !== undefined ? { stepTimeoutSeconds: given.stepTimeoutSeconds } : {}),
          ...(given.maxMemoryMB !== undefined ? { maxMemoryMB: given.maxMemoryMB } : {}),
        })),
    });
    const used = executor as RedisExecutor;
    return { ...run, redis: { ...used.counts }, placements: Object.fromEntries(used.placements) };
  } finally {
    if (executor === undefined) connection.close();
  }
}

function checkSource(given: RedisTuneOptions): TrainableSource {
  if (typeof given !== "object" || given === null) throw new OptionError("options", "must be an object");
  const source = given.trainable;
  if (typeof source !== "object" || source === null || !("module" in source || "command" in source)) {
    throw new OptionError("trainable", "must be { module } or { command } naming code on the workers' machines (no code travels through Redis)");
  }
  return source;
}
