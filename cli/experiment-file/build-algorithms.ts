import { GridSearch } from "../../algorithms/searchers/index.ts";
import type { Mode, Scheduler, Searcher } from "../../core/contracts/index.ts";
import { TuneLabError } from "../../core/errors/index.ts";
import { countGridVariants, gridLeaves, type Space } from "../../core/space/index.ts";
import { OptionProblemsError, spaceFromPlain, type FieldProblem } from "../../core/space/plain/index.ts";
import { schedulerFactories, searcherFactories, type AlgorithmContext, type SchedulerName, type SearcherName } from "../algorithms.ts";
import { schedulerOptionKeys, searcherOptionKeys, spaceValuedOptions } from "./algorithm-keys.ts";

/** A searcher or scheduler built from a file: its name, the options as given, and the object. */
export interface BuiltAlgorithm<T> {
  readonly name: string;
  /** The options the file gave (space-valued ones converted), without the name. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly instance: T;
}

export interface AlgorithmInputs {
  space: Space;
  metric: string;
  mode: Mode;
  seed: number;
  trials: number;
  maxIterations: number | undefined;
  /** The benchmark's natural ASHA first rung (iterations); the file's scheduler options still win. */
  gracePeriod?: number;
  /** The benchmark's natural PBT/PB2 interval (seconds); the file's scheduler options still win. */
  perturbationInterval?: number;
  searcher: { name: string; options: Record<string, unknown> };
  scheduler: { name: string; options: Record<string, unknown> };
}

/**
 * When a file gives no maxIterations, the factories' maxT defaults (ASHA: maxIterations,
 * HyperBand: min(81, maxIterations)) fall back to this, which is the classes' own default maxT
 * for both (ASHA 100, HyperBand 81), so leaving the field out means the documented defaults.
 */
const CLASS_DEFAULT_MAX_T = 100;

/**
 * The file's `grid` is Ray's grid search over the space as written (grid_search leaves
 * expanded, other leaves sampled, repeated to cover `trials`), like `tune()`'s default; the
 * `tunelab sim --searcher grid` factory instead lays a grid over a benchmark's continuous space.
 */
const fileSearcherFactories: Record<SearcherName, (c: AlgorithmContext) => Searcher> = {
  ...searcherFactories,
  grid: (c) =>
    new GridSearch(c.space, {
      metric: c.metric,
      mode: c.mode,
      seed: c.seed,
      numSamples: Math.max(1, Math.ceil(c.trials / countGridVariants(c.space))),
      ...c.options,
    }),
};

/** No searcher named: grid search when the space has grid_search leaves, else random (as tune()). */
export function defaultSearcherName(space: Space): SearcherName {
  return gridLeaves(space).length > 0 ? "grid" : "random";
}

/**
 * Builds the searcher, then the scheduler (so `hyperband-bohb` can feed budgets to `bohb`),
 * through the CLI's factories with the file's options spread over their defaults; the
 * constructors validate the values. To name every bad option, not just the first a
 * constructor meets, each option is first tried alone; only when each passes alone are they
 * tried together (for rules between options, like ASHA's gracePeriod < maxT).
 */
export function buildAlgorithms(inputs: AlgorithmInputs): { searcher: BuiltAlgorithm<Searcher>; scheduler: BuiltAlgorithm<Scheduler> } {
  return build(inputs, false) as { searcher: BuiltAlgorithm<Searcher>; scheduler: BuiltAlgorithm<Scheduler> };
}

/**
 * For a file whose other fields are bad: tries each searcher and scheduler option alone, with
 * stand-ins for the bad fields (an empty space, metric "metric"), and throws the options'
 * own problems, so they are listed with the rest. The stand-ins' own failures are not reported
 * (they would blame the file for our stand-ins), nor are rules between options.
 */
export function probeAlgorithmOptions(inputs: AlgorithmInputs): void {
  build(inputs, true);
}

function build(inputs: AlgorithmInputs, quiet: boolean): { searcher: BuiltAlgorithm<Searcher>; scheduler: BuiltAlgorithm<Scheduler> } | undefined {
  const problems: FieldProblem[] = [];
  const searcherOptions = convertOptions("searcher", inputs.searcher.options, problems);
  const schedulerOptions = convertOptions("scheduler", inputs.scheduler.options, problems);
  if (problems.length > 0) throw new OptionProblemsError(problems);

  const base = {
    space: inputs.space,
    metric: inputs.metric,
    mode: inputs.mode,
    seed: inputs.seed,
    trials: inputs.trials,
    maxIterations: inputs.maxIterations ?? CLASS_DEFAULT_MAX_T,
    ...(inputs.gracePeriod !== undefined ? { gracePeriod: inputs.gracePeriod } : {}),
    ...(inputs.perturbationInterval !== undefined ? { perturbationInterval: inputs.perturbationInterval } : {}),
  };
  const searcherFactory = fileSearcherFactories[inputs.searcher.name as SearcherName];
  const schedulerFactory = schedulerFactories[inputs.scheduler.name as SchedulerName];
  probe("searcher", searcherOptions, (options) => searcherFactory({ ...base, options }), problems, quiet);
  probe("scheduler", schedulerOptions, (options) => schedulerFactory({ ...base, options }), problems, quiet);
  if (problems.length > 0) throw new OptionProblemsError(problems);
  if (quiet) return undefined;

  // One context object for both: the bohb factory registers its searcher under it, and the
  // hyperband-bohb factory looks it up there. Only its options change in between.
  const context: AlgorithmContext = { ...base, options: searcherOptions };
  const searcher = attempt("searcher", searcherOptions, () => searcherFactory(context), problems);
  context.options = schedulerOptions;
  const scheduler = attempt("scheduler", schedulerOptions, () => schedulerFactory(context), problems);
  if (searcher === undefined || scheduler === undefined) throw new OptionProblemsError(problems);
  return {
    searcher: { name: inputs.searcher.name, options: searcherOptions, instance: searcher },
    scheduler: { name: inputs.scheduler.name, options: schedulerOptions, instance: scheduler },
  };
}

function convertOptions(kind: string, options: Record<string, unknown>, problems: FieldProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!spaceValuedOptions.includes(key)) {
      out[key] = value;
      continue;
    }
    try {
      out[key] = spaceFromPlain(value, `${kind}.${key}`);
    } catch (error) {
      if (!(error instanceof OptionProblemsError)) throw error;
      problems.push(...error.problems);
    }
  }
  return out;
}

function probe(kind: string, options: Record<string, unknown>, build: (options: Record<string, unknown>) => unknown, problems: FieldProblem[], quiet: boolean): void {
  // Defaults alone first: if they fail (PBT with nothing in the space to mutate), that is the
  // experiment's problem, and trying each option on top of them would blame the options.
  if (attempt(kind, {}, () => build({}), quiet ? [] : problems) === undefined) return;
  for (const [key, value] of Object.entries(options)) attempt(kind, { [key]: value }, () => build({ [key]: value }), problems);
}

function attempt<T>(kind: string, options: Record<string, unknown>, build: () => T, problems: FieldProblem[]): T | undefined {
  try {
    return build();
  } catch (error) {
    problems.push(problemOf(kind, options, error));
    return undefined;
  }
}

/**
 * Puts a constructor's error at the file path of the option it names: ASHA's
 * `ASHAScheduler.reductionFactor: must be > 1, got 1` becomes `scheduler.reductionFactor: ...`.
 */
function problemOf(kind: string, options: Record<string, unknown>, error: unknown): FieldProblem {
  if (!(error instanceof Error)) return { path: kind, problem: String(error) };
  const field = error instanceof TuneLabError ? error.field : "";
  const problem = field !== "" && error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
  const key = field.split(".").pop() ?? "";
  if (Object.hasOwn(options, key)) return { path: `${kind}.${key}`, problem };
  const only = Object.keys(options);
  // A constructor that names no option, when only one was given: that one is the culprit.
  if (only.length === 1) return { path: `${kind}.${only[0]}`, problem: field === "" ? problem : `${field}: ${problem}` };
  return { path: kind, problem: field === "" ? problem : `${field}: ${problem}` };
}

/** Option keys a file may give for this kind and name, for rendering. */
export function optionKeysOf(kind: "searcher" | "scheduler", name: string): readonly string[] {
  const table: Readonly<Record<string, readonly string[]>> = kind === "searcher" ? searcherOptionKeys : schedulerOptionKeys;
  return table[name] ?? [];
}
