import { readFileSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import type { Benchmark, BenchmarkDefaults } from "../../benchmarks/objectives/index.ts";
import { benchmarkByName, benchmarkDefaults, benchmarkNames } from "../../benchmarks/objectives/index.ts";
import { formulaObjective } from "../../benchmarks/objectives/formula.ts";
import { FIFOScheduler, resourceChangingFromSpec, type ResourceChangingSpec } from "../../algorithms/schedulers/index.ts";
import type { Resources, ResourceScaling, Scheduler, Searcher } from "../../core/contracts/index.ts";
import { OptionError } from "../../core/errors/index.ts";
import { checkTrialCount } from "../../core/experiment/index.ts";
import { parseResourceScaling } from "../../core/resource-scaling.ts";
import { didYouMean, OptionProblemsError, spaceFromPlain, type FieldProblem } from "../../core/space/plain/index.ts";
import type { ComputeBudget } from "../../core/stoppers/index.ts";
import { resolveCluster, type ClusterSpec, type ResolvedCluster } from "../../simulator/index.ts";
import { parseStorm } from "../../simulator/spot/index.ts";
import { LCBENCH_PREFIX } from "../is-loaded-benchmark.ts";
import { buildAlgorithms, defaultSearcherName, type BuiltAlgorithm } from "./build-algorithms.ts";
import { problemsFromIssues } from "./issues.ts";
import type { ExperimentSource } from "./read-file.ts";
import { realOnlyKeys, simulationFileSchema, simulationKnownKeysAt, type SimulationFile } from "./simulation-schema.ts";
import { splitAlgorithm } from "./resolve.ts";

/** The objective as the file named it (a replay's directory made absolute), for the dry run. */
export type SimulationObjectiveSource = { readonly benchmark: string } | { readonly formula: string; readonly space: unknown } | { readonly replay: string };

/** A checked `kind: simulation` file: the objective loaded, the algorithms built, the cluster resolved. */
export interface ResolvedSimulation {
  readonly kind: "simulation";
  readonly file: string;
  readonly name: string;
  /** Absolute; where the run writes its experiment directory (undefined: nowhere). */
  readonly storagePath: string | undefined;
  readonly objectiveSource: SimulationObjectiveSource;
  readonly benchmark: Benchmark;
  readonly trials: number;
  readonly budget: ComputeBudget | undefined;
  readonly seed: number;
  readonly maxIterations: number;
  readonly searcher: BuiltAlgorithm<Searcher>;
  readonly scheduler: BuiltAlgorithm<Scheduler>;
  readonly resourceChanging: ResourceChangingSpec | undefined;
  readonly resourceScaling: ResourceScaling | undefined;
  readonly resources: Resources;
  readonly checkpointFrequency: number | undefined;
  readonly maxFailures: number | undefined;
  readonly keepCheckpoints: number | undefined;
  /** The file's cluster section as a ClusterSpec (file forms converted), what simulate() receives. */
  readonly cluster: ClusterSpec;
  /** The same, every default filled in (what the dry run prints). */
  readonly resolvedCluster: ResolvedCluster;
  /** The CSV the availability trace was read from (absolute), when the file named one. */
  readonly availabilityTraceFile: string | undefined;
  /** Frees what the objective holds (an LCBench surrogate). */
  close(): Promise<void>;
}

/** Per trial, when the file says nothing: one GPU and one CPU, as `tunelab sim`. */
export const DEFAULT_SIMULATION_RESOURCES: Resources = { cpu: 1, gpu: 1 };

/**
 * Checks a `kind: simulation` file and resolves it. Like resolveExperiment, every bad field
 * is reported at once where the fields are independent (structure and scalars by zod, the
 * cluster by resolveCluster, the resource scaling); the objective is loaded, and the
 * searcher's and scheduler's options are checked by their constructors, once those are good.
 * Errors are OptionProblemsErrors (exit 2), one line per problem.
 */
export async function resolveSimulation(source: ExperimentSource): Promise<ResolvedSimulation> {
  const dir = resolve(source.file, "..");
  const raw = source.plain as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  // Keys of a real experiment get their reason, not just "unknown field".
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const reason = realOnlyKeys[key];
    if (reason !== undefined) problems.push({ path: key, problem: reason });
    else rest[key] = value;
  }
  const parsed = simulationFileSchema.safeParse(rest);
  if (!parsed.success) problems.push(...problemsFromIssues(parsed.error.issues, rest, simulationKnownKeysAt, {}));
  // The cluster is checked whatever else is wrong, so its problems are listed with the rest.
  const cluster = collect(problems, () => clusterFromFile(raw["cluster"], dir));
  const resourceScaling = typeof raw["resourceScaling"] === "string" ? collect(problems, () => parseResourceScaling("resourceScaling", raw["resourceScaling"] as string)) : undefined;
  if (!parsed.success || cluster === undefined || problems.length > 0) throw new OptionProblemsError(problems);

  const file = parsed.data;
  const budget = file.budget as ComputeBudget | undefined;
  if (file.trials === undefined && budget === undefined) problems.push({ path: "trials", problem: "is required (or give a budget: trials then keep coming until it is spent)" });
  const searcherName = typeof file.searcher?.name === "string" ? file.searcher.name : undefined;
  if (searcherName === "grid" && file.trials === undefined && budget !== undefined) problems.push({ path: "trials", problem: "is needed with searcher grid and a budget (the grid's size)" });
  const trials = file.trials !== undefined ? collect(problems, () => checkTrialCount("trials", file.trials as number)) : Number.POSITIVE_INFINITY;
  if (problems.length > 0) throw new OptionProblemsError(problems);

  const loaded = await loadObjective(file.objective as SimulationFile["objective"], file.maxIterations, dir);
  try {
    const bench = loaded.benchmark;
    const seed = file.seed ?? 0;
    const maxIterations = loaded.maxIterations;
    const schedulerSpec = splitAlgorithm(file.scheduler, "fifo");
    const gracePeriod = naturalGrace(loaded.defaults, schedulerSpec, maxIterations);
    const algorithms = buildAlgorithms({
      space: bench.space,
      metric: bench.metric,
      mode: bench.mode,
      seed,
      trials: trials as number,
      maxIterations,
      // The benchmark's natural budget, as `tunelab sim` (ASHA's grace period only: the median rule's is in seconds).
      ...(gracePeriod !== undefined ? { gracePeriod } : {}),
      ...(loaded.defaults !== undefined ? { perturbationInterval: loaded.defaults.perturbationInterval } : {}),
      searcher: splitAlgorithm(file.searcher, defaultSearcherName(bench.space)),
      scheduler: schedulerSpec,
    });
    const resourceChanging = file.resourceChanging as ResourceChangingSpec | undefined;
    // The policy's own checks (an increaseBy of nothing), before anything runs.
    if (resourceChanging !== undefined) asProblems(() => resourceChangingFromSpec("resourceChanging", resourceChanging, new FIFOScheduler(), bench.metric, bench.mode));
    return {
      kind: "simulation",
      file: source.file,
      name: file.name ?? basename(source.file, extname(source.file)),
      storagePath: file.storagePath === undefined ? undefined : resolve(dir, file.storagePath),
      objectiveSource: loaded.source,
      benchmark: bench,
      trials: trials as number,
      budget,
      seed,
      maxIterations,
      searcher: algorithms.searcher,
      scheduler: algorithms.scheduler,
      resourceChanging,
      resourceScaling,
      resources: { cpu: file.resources?.cpu ?? DEFAULT_SIMULATION_RESOURCES.cpu, gpu: file.resources?.gpu ?? DEFAULT_SIMULATION_RESOURCES.gpu },
      checkpointFrequency: file.checkpointFrequency,
      maxFailures: file.maxFailures,
      keepCheckpoints: file.keepCheckpoints,
      cluster: cluster.spec,
      resolvedCluster: cluster.resolved,
      availabilityTraceFile: cluster.traceFile,
      close: loaded.close,
    };
  } catch (error) {
    await loaded.close();
    throw error;
  }
}

/**
 * The file's cluster section as a ClusterSpec. Only the two file forms are handled here (a
 * trace path read relative to the file, storms as `FRACTION@SECONDS[:TYPE]`); every value is
 * then checked by resolveCluster, the one set of cluster validators, whose fields are already
 * the file's paths (`cluster.nodeTypes[0].minCount`).
 */
function clusterFromFile(value: unknown, dir: string): { spec: ClusterSpec; resolved: ResolvedCluster; traceFile: string | undefined } {
  if (value === undefined) return { spec: {}, resolved: resolveCluster({}), traceFile: undefined };
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("cluster", `must be a mapping { nodeTypes | gpus, preemptionRate, storms, ... }, got ${JSON.stringify(value)}`);
  const spec: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (Array.isArray(spec["storms"])) {
    spec["storms"] = (spec["storms"] as unknown[]).map((storm, i) => (typeof storm === "string" ? asProblems(() => parseStorm(`cluster.storms[${i}]`, storm)) : storm));
  }
  let traceFile: string | undefined;
  if (typeof spec["availabilityTrace"] === "string") {
    traceFile = resolve(dir, spec["availabilityTrace"] as string);
    spec["availabilityTrace"] = { csv: readTrace(traceFile) };
  }
  const checked = spec as ClusterSpec;
  return { spec: checked, resolved: asProblems(() => resolveCluster(checked)), traceFile };
}

function readTrace(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail("cluster.availabilityTrace", `cannot read ${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (code ?? String(error))}`);
  }
}

interface LoadedObjective {
  source: SimulationObjectiveSource;
  benchmark: Benchmark;
  maxIterations: number;
  /** The benchmark's natural budget (a named benchmark's, an LCBench task's own); undefined for a formula or a replay. */
  defaults?: BenchmarkDefaults;
  close(): Promise<void>;
}

/**
 * The objective and the run's maxIterations: the file's, else the benchmark's natural budget
 * (as `tunelab sim`), capped by what a replay recorded or LCBench's 52 epochs. A named
 * benchmark also brings its natural ASHA grace period and PBT interval: an LCBench task its
 * own (epoch times differ ~100x between tasks), known only once the task is loaded.
 */
async function loadObjective(objective: SimulationFile["objective"], fileMaxIterations: number | undefined, dir: string): Promise<LoadedObjective> {
  const none = async (): Promise<void> => {};
  if (objective.replay !== undefined) {
    const replayDir = resolve(dir, objective.replay);
    const { replayBenchmark } = await import("../replay-benchmark.ts");
    const replay = asProblems(() => replayBenchmark(replayDir, fileMaxIterations ?? Number.MAX_SAFE_INTEGER), "objective.replay");
    return { source: { replay: replayDir }, benchmark: replay.benchmark, maxIterations: replay.maxIterations, close: none };
  }
  if (objective.formula !== undefined) {
    const maxIterations = fileMaxIterations ?? benchmarkDefaults("branin").maxIterations;
    const space = asProblems(() => spaceFromPlain(objective.space, "objective.space"));
    const benchmark = asProblems(() => formulaObjective(objective.formula as string, space, { maxIterations }), "objective.formula");
    return { source: { formula: objective.formula, space: objective.space }, benchmark, maxIterations, close: none };
  }
  const name = objective.benchmark as string;
  if (name.startsWith(LCBENCH_PREFIX)) {
    const { loadBenchmark } = await import("../load-benchmark.ts");
    // No maxIterations in the file: the task's own (52 epochs), not the synthetic functions' 100.
    const loaded = await asProblemsAsync(() => loadBenchmark({ benchmark: name }, fileMaxIterations), "objective.benchmark");
    return {
      source: { benchmark: name },
      benchmark: loaded.benchmark,
      maxIterations: loaded.maxIterations ?? fileMaxIterations ?? 0,
      ...(loaded.defaults !== undefined ? { defaults: loaded.defaults } : {}),
      close: () => loaded.close(),
    };
  }
  if (!benchmarkNames.includes(name)) fail("objective.benchmark", `got unknown benchmark ${JSON.stringify(name)}${didYouMean(name, benchmarkNames)}; known: ${benchmarkNames.join(", ")}, or ${LCBENCH_PREFIX}<task id>`);
  const defaults = benchmarkDefaults(name);
  const maxIterations = fileMaxIterations ?? defaults.maxIterations;
  return { source: { benchmark: name }, benchmark: benchmarkByName(name, { maxIterations }), maxIterations, defaults, close: none };
}

/**
 * ASHA's first rung from the benchmark's natural budget, when it fits under the scheduler's
 * maxT (a file that shortens the run to fewer iterations than the rung keeps the class's
 * default rather than failing on a value it never wrote).
 */
function naturalGrace(defaults: BenchmarkDefaults | undefined, scheduler: { name: string; options: Record<string, unknown> }, maxIterations: number): number | undefined {
  if (defaults === undefined || !scheduler.name.startsWith("asha")) return undefined;
  const maxT = typeof scheduler.options["maxT"] === "number" ? scheduler.options["maxT"] : maxIterations;
  return defaults.gracePeriod < maxT ? defaults.gracePeriod : undefined;
}

function fail(path: string, problem: string): never {
  throw new OptionProblemsError([{ path, problem }]);
}

/**
 * Runs a check whose OptionError names a field, and turns it into a file problem at that
 * field; `at` puts a check that names its own option (the formula's "formula") at the file's path.
 */
function asProblems<T>(check: () => T, at?: string): T {
  try {
    return check();
  } catch (error) {
    throw toProblems(error, at);
  }
}

async function asProblemsAsync<T>(check: () => Promise<T>, at: string): Promise<T> {
  try {
    return await check();
  } catch (error) {
    throw toProblems(error, at);
  }
}

function toProblems(error: unknown, at: string | undefined): unknown {
  if (error instanceof OptionProblemsError) return error;
  if (!(error instanceof OptionError)) return error;
  const problem = error.field !== "" && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
  return new OptionProblemsError([{ path: at ?? error.field, problem }]);
}

function collect<T>(problems: FieldProblem[], build: () => T): T | undefined {
  try {
    return asProblems(build);
  } catch (error) {
    if (!(error instanceof OptionProblemsError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

