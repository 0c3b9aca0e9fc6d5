import { existsSync } from "node:fs";
import { basename, extname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Mode, Resources, Scheduler, Searcher } from "../../core/contracts/index.ts";
import type { Space } from "../../core/space/index.ts";
import { OptionProblemsError, spaceFromPlain, type FieldProblem } from "../../core/space/plain/index.ts";
import { buildAlgorithms, defaultSearcherName, probeAlgorithmOptions, type BuiltAlgorithm } from "./build-algorithms.ts";
import { problemsFromIssues } from "./issues.ts";
import { resourceChangingFromSpec, type ResourceChangingSpec } from "../../algorithms/schedulers/index.ts";
import { OptionError } from "../../core/errors/index.ts";
import type { ExperimentSource } from "./read-file.ts";
import { experimentFileSchema, type ExperimentFile } from "./schema.ts";
import { simulationOnlyKeys } from "./simulation-schema.ts";

/** The trainable as the process executor takes it (issue 9 §3): a module, or a program. */
export type FileTrainable =
  | { readonly module: string; readonly export?: string }
  | { readonly command: readonly string[]; readonly cwd: string; readonly env?: Readonly<Record<string, string>> };

/** A user callback named by the file: an absolute module path and the export to take (default: "default"). */
export interface FileCallback {
  readonly module: string;
  readonly export?: string;
}

/** A checked experiment: every path absolute, every default that the file decides filled in. */
export interface ResolvedExperiment {
  /** The experiment file it came from (absolute). */
  readonly file: string;
  readonly name: string;
  /** Absolute; undefined: tune()'s default (checkpoints in memory). */
  readonly storagePath: string | undefined;
  readonly trainable: FileTrainable;
  readonly space: Space;
  readonly metric: string;
  readonly mode: Mode;
  readonly trials: number;
  readonly seed: number;
  readonly maxIterations: number | undefined;
  readonly searcher: BuiltAlgorithm<Searcher>;
  /** With `resourceChanging`, the file's scheduler wrapped in a ResourceChangingScheduler (its options still the file's). */
  readonly scheduler: BuiltAlgorithm<Scheduler>;
  readonly resourceChanging: ResourceChangingSpec | undefined;
  readonly resources: Resources;
  readonly maxFailures: number | undefined;
  readonly checkpointFrequency: number | undefined;
  readonly keepCheckpoints: number | undefined;
  readonly stepTimeoutSeconds: number | undefined;
  readonly reuseActors: boolean | undefined;
  /** User callbacks, not yet imported (loadFileCallbacks imports them); empty when the file names none. */
  readonly callbacks: readonly FileCallback[];
}

/** Per trial, when the file says nothing (tune()'s default). */
export const DEFAULT_RESOURCES: Resources = { cpu: 1, gpu: 0 };

/**
 * Checks a parsed experiment file and resolves it. Every bad field of the file is reported at
 * once, one problem per field, as an OptionProblemsError (exit 2): the structure and scalar
 * fields (zod), the space (spaceFromPlain), the trainable's file, then the searcher's and
 * scheduler's options (their constructors) once the fields they depend on are good.
 */
export function resolveExperiment(source: ExperimentSource): ResolvedExperiment {
  const dir = resolve(source.file, "..");
  const { plain, problems: simulationKeys } = withoutSimulationKeys(source.plain);
  const parsed = experimentFileSchema.safeParse(plain);
  const problems: FieldProblem[] = [...simulationKeys, ...(parsed.success ? [] : problemsFromIssues(parsed.error.issues, plain))];
  const raw = plain as Record<string, unknown> | null;

  let space: Space | undefined;
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    if (raw["space"] === undefined) problems.push({ path: "space", problem: "is required" });
    else space = collect(problems, () => spaceFromPlain(raw["space"], "space"));
  }
  if (!parsed.success || space === undefined || simulationKeys.length > 0) {
    // Still name a missing trainable file and bad algorithm options along with the rest.
    const trainableField = typeof raw === "object" && raw !== null ? experimentFileSchema.shape.trainable.safeParse(raw["trainable"]) : undefined;
    if (trainableField?.success) resolveTrainable(trainableField.data, dir, problems);
    // Each good callback entry too, so a missing module is named along with a bad neighbour.
    const callbackEntries = typeof raw === "object" && raw !== null && Array.isArray(raw["callbacks"]) ? (raw["callbacks"] as unknown[]) : [];
    callbackEntries.forEach((entry, i) => {
      const item = experimentFileSchema.shape.callbacks.unwrap().element.safeParse(entry);
      if (item.success) resolveModule(item.data.module, dir, `callbacks[${i}].module`, problems);
    });
    collect(problems, () => probeWithStandIns(raw, space));
    throw new OptionProblemsError(problems);
  }

  const file = parsed.data;
  const trainable = resolveTrainable(file.trainable, dir, problems);
  const callbacks = resolveCallbacks(file.callbacks, dir, problems);
  if (problems.length > 0) throw new OptionProblemsError(problems);

  const seed = file.seed ?? 0;
  const algorithms = buildAlgorithms({
    space,
    metric: file.metric,
    mode: file.mode,
    seed,
    trials: file.trials,
    maxIterations: file.maxIterations,
    searcher: splitAlgorithm(file.searcher, defaultSearcherName(space)),
    scheduler: splitAlgorithm(file.scheduler, "fifo"),
  });
  const scheduler = file.resourceChanging === undefined ? algorithms.scheduler : withResourceChanging(algorithms.scheduler, file.resourceChanging, file.metric, file.mode);
  return {
    file: source.file,
    name: file.name ?? basename(source.file, extname(source.file)),
    storagePath: file.storagePath === undefined ? undefined : resolve(dir, file.storagePath),
    trainable,
    space,
    metric: file.metric,
    mode: file.mode,
    trials: file.trials,
    seed,
    maxIterations: file.maxIterations,
    searcher: algorithms.searcher,
    scheduler,
    resourceChanging: file.resourceChanging,
    resources: { cpu: file.resources?.cpu ?? DEFAULT_RESOURCES.cpu, gpu: file.resources?.gpu ?? DEFAULT_RESOURCES.gpu },
    maxFailures: file.maxFailures,
    checkpointFrequency: file.checkpointFrequency,
    keepCheckpoints: file.keepCheckpoints,
    stepTimeoutSeconds: file.stepTimeoutSeconds,
    reuseActors: file.reuseActors,
    callbacks,
  };
}

/**
 * A real experiment's file with the simulation-only keys taken out, each a problem that says
 * what they need: a real run given `cluster:` would otherwise ignore it silently.
 */
function withoutSimulationKeys(plain: unknown): { plain: unknown; problems: FieldProblem[] } {
  if (typeof plain !== "object" || plain === null || Array.isArray(plain)) return { plain, problems: [] };
  const problems: FieldProblem[] = [];
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plain)) {
    if (simulationOnlyKeys.includes(key)) problems.push({ path: key, problem: "is a simulation setting: it needs kind: simulation (a real run has no simulated cluster or objective)" });
    else rest[key] = value;
  }
  return { plain: problems.length > 0 ? rest : plain, problems };
}

/**
 * The file's scheduler wrapped for dynamic resources. The spec's values passed the schema;
 * what only the policy's constructor knows (an increaseBy of nothing) is reported as a field problem.
 */
function withResourceChanging(built: BuiltAlgorithm<Scheduler>, spec: ResourceChangingSpec, metric: string, mode: Mode): BuiltAlgorithm<Scheduler> {
  try {
    return { ...built, instance: resourceChangingFromSpec("resourceChanging", spec, built.instance, metric, mode) };
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    throw new OptionProblemsError([{ path: error.field, problem: error.message.slice(error.field.length + 2) }]);
  }
}

/** The searcher's and scheduler's option problems of a file with other bad fields (see probeAlgorithmOptions). */
function probeWithStandIns(raw: unknown, space: Space | undefined): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return;
  const fields = raw as Record<string, unknown>;
  const shape = experimentFileSchema.shape;
  const searcher = shape.searcher.safeParse(fields["searcher"]);
  const scheduler = shape.scheduler.safeParse(fields["scheduler"]);
  // A bad name or unknown key is already listed; its options mean nothing yet.
  if (!searcher.success || !scheduler.success) return;
  const good = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, key: string, standIn: T): T => {
    const result = schema.safeParse(fields[key]);
    return result.success && result.data !== undefined ? result.data : standIn;
  };
  const standInSpace = space ?? {};
  probeAlgorithmOptions({
    space: standInSpace,
    metric: good(shape.metric, "metric", "metric"),
    mode: good(shape.mode, "mode", "min"),
    seed: good(shape.seed, "seed", 0) ?? 0,
    trials: good(shape.trials, "trials", 1),
    maxIterations: good(shape.maxIterations, "maxIterations", undefined),
    searcher: splitAlgorithm(searcher.data, defaultSearcherName(standInSpace)),
    scheduler: splitAlgorithm(scheduler.data, "fifo"),
  });
}

function collect<T>(problems: FieldProblem[], build: () => T): T | undefined {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof OptionProblemsError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

/** A file's `{ name, ...options }` algorithm entry, split (the default name when absent); simulation files share it. */
export function splitAlgorithm(value: { name?: unknown; [key: string]: unknown } | undefined, fallback: string): { name: string; options: Record<string, unknown> } {
  if (value === undefined) return { name: fallback, options: {} };
  const { name, ...options } = value;
  return { name: name as string, options };
}

/**
 * Module paths and a command's cwd are relative to the experiment file's directory (so a file
 * runs the same from any working directory); a command runs in that directory by default.
 * A module must exist now, so a typo fails the dry run rather than the first trial.
 */
function resolveTrainable(trainable: ExperimentFile["trainable"], dir: string, problems: FieldProblem[]): FileTrainable {
  if (trainable.command !== undefined) {
    const cwd = resolve(dir, trainable.cwd ?? ".");
    if (!existsSync(cwd)) problems.push({ path: "trainable.cwd", problem: `no such directory: ${cwd}` });
    return {
      command: trainable.command,
      cwd,
      ...(trainable.env !== undefined ? { env: trainable.env } : {}),
    };
  }
  const module = resolveModule(trainable.module as string, dir, "trainable.module", problems);
  return { module, ...(trainable.export !== undefined ? { export: trainable.export } : {}) };
}

/** Callback modules, like a trainable module: relative to the file's directory, and they must exist now. */
function resolveCallbacks(callbacks: ExperimentFile["callbacks"], dir: string, problems: FieldProblem[]): FileCallback[] {
  return (callbacks ?? []).map((callback, i) => ({
    module: resolveModule(callback.module, dir, `callbacks[${i}].module`, problems),
    ...(callback.export !== undefined ? { export: callback.export } : {}),
  }));
}

function resolveModule(spec: string, dir: string, path: string, problems: FieldProblem[]): string {
  const module = spec.startsWith("file:") ? fileURLToPath(spec) : isAbsolute(spec) ? spec : resolve(dir, spec);
  if (!existsSync(module)) problems.push({ path, problem: `no such file: ${module}` });
  return module;
}
