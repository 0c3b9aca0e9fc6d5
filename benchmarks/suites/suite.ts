import { OptionError } from "../../core/contracts/index.ts";
import { validateComputeBudget, type ComputeBudget } from "../../core/stoppers/index.ts";
import { PAPER_CHECK_GROUPS } from "../papers/groups.ts";

/**
 * A benchmark suite is data: which benchmarks, on what cluster, under what budget,
 * over how many seeds, and which methods by default. `tunelab bench` runs the grid
 * methods x benchmarks x seeds; every cell is one simulated experiment.
 */
export interface SuiteDefinition {
  /** A grid of simulated experiments (the default; see PaperCheckSuite for the other kind). */
  readonly kind?: "simulation";
  readonly name: string;
  readonly description: string;
  /** Names registered with `registerBenchmark` (e.g. "branin", "lcbench/3945"). */
  readonly benchmarks: readonly string[];
  /** Simulated GPUs; every trial holds one. */
  readonly gpus: number;
  /**
   * What every method may spend on one benchmark: simulated seconds and/or GPU-hours,
   * the same for all (equal cost). Per benchmark when they differ in cost. Left out:
   * equal trial counts (`trials` is then required).
   */
  readonly budget?: ComputeBudget | Readonly<Record<string, ComputeBudget>>;
  /** Cap on trials per run (undefined: unlimited while the budget lasts). */
  readonly trials?: number;
  /** PBT/PB2's population (their trial count). @defaultValue gpus */
  readonly population?: number;
  /** Seeds 0..seeds-1 unless `tunelab bench --seeds` says otherwise. */
  readonly seeds: number;
  /** `searcher:scheduler` pairs `tunelab bench` runs unless `--methods` says otherwise. */
  readonly methods: readonly string[];
  /** Normalised regret counted as "reached" for the time-to-target figure. */
  readonly targetRegret: number;
  /** Overrides of the benchmarks' natural max iterations (rarely needed). */
  readonly maxIterations?: number;
}

/**
 * A suite of paper checks (`tunelab bench --suite papers`): one cell per check group of
 * `benchmarks/papers` (HyperBand's Table 1, ASHA, the PBT toy, BOHB, PB2). A group is not a
 * benchmark one method runs on: it is an experiment with its own methods, cluster and seeds,
 * as its paper set it up, and its checks compare their results (BOHB against HyperBand and
 * random search). So the suite declares no methods, GPUs or budget; a cell runs the group's
 * measurement once and records each check's paper number, ours, and pass or fail.
 */
export interface PaperCheckSuite {
  readonly kind: "paper-checks";
  readonly name: string;
  readonly description: string;
  /** Check groups (PAPER_CHECK_GROUPS), one cell each. */
  readonly benchmarks: readonly string[];
  /** Seeds of the statistical checks (BOHB uses at most 5, PB2 all), as `tunelab check papers --seeds`. */
  readonly checkSeeds: number;
}

/** Whatever `tunelab bench --suite` runs. */
export type Suite = SuiteDefinition | PaperCheckSuite;

/** The method of every paper-check cell: each group runs the methods its paper compared. */
export const PAPER_METHOD = "paper";

export function isPaperCheckSuite(suite: Suite): suite is PaperCheckSuite {
  return suite.kind === "paper-checks";
}

/** The budget a suite gives `benchmark`. */
export function budgetFor(suite: SuiteDefinition, benchmark: string): ComputeBudget | undefined {
  if (suite.budget === undefined) return undefined;
  const b = suite.budget as ComputeBudget & Record<string, ComputeBudget>;
  if (b.seconds !== undefined || b.gpuHours !== undefined) return b as ComputeBudget;
  const own = (suite.budget as Readonly<Record<string, ComputeBudget>>)[benchmark];
  if (!own) throw new OptionError(`suite ${suite.name}.budget`, `has no budget for benchmark "${benchmark}"`);
  return own;
}

/** One-line errors for a malformed suite, naming the field. */
export function validateSuite(suite: Suite): void {
  const field = (name: string) => `suite ${suite.name}.${name}`;
  if (suite.benchmarks.length === 0) throw new OptionError(field("benchmarks"), "must name at least one benchmark");
  if (isPaperCheckSuite(suite)) {
    for (const group of suite.benchmarks) {
      if (!(PAPER_CHECK_GROUPS as readonly string[]).includes(group)) throw new OptionError(field("benchmarks"), `got unknown check group "${group}"; known: ${PAPER_CHECK_GROUPS.join(", ")}`);
    }
    if (!Number.isInteger(suite.checkSeeds) || suite.checkSeeds < 2) throw new OptionError(field("checkSeeds"), `must be an integer >= 2, got ${suite.checkSeeds}`);
    return;
  }
  if (!Number.isInteger(suite.gpus) || suite.gpus < 1) throw new OptionError(field("gpus"), `must be an integer >= 1, got ${suite.gpus}`);
  if (!Number.isInteger(suite.seeds) || suite.seeds < 1) throw new OptionError(field("seeds"), `must be an integer >= 1, got ${suite.seeds}`);
  if (suite.trials !== undefined && !(Number.isInteger(suite.trials) && suite.trials >= 1)) {
    throw new OptionError(field("trials"), `must be an integer >= 1, got ${suite.trials}`);
  }
  if (suite.population !== undefined && !(Number.isInteger(suite.population) && suite.population >= 1)) {
    throw new OptionError(field("population"), `must be an integer >= 1, got ${suite.population}`);
  }
  if (!(suite.targetRegret >= 0)) throw new OptionError(field("targetRegret"), `must be a number >= 0, got ${suite.targetRegret}`);
  if (suite.budget === undefined && suite.trials === undefined) throw new OptionError(field("trials"), "is required without a budget");
  for (const benchmark of suite.benchmarks) {
    const budget = budgetFor(suite, benchmark);
    if (budget) validateComputeBudget(budget);
  }
}
