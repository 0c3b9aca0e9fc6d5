import { OptionError } from "../../core/contracts/index.ts";
import { lcbenchSuite } from "./definitions/lcbench.ts";
import { rlSuite } from "./definitions/rl.ts";
import { syntheticSuite } from "./definitions/synthetic.ts";
import { schedulersSuite } from "./definitions/schedulers.ts";
import { papersSuite } from "./definitions/papers.ts";
import { searchBohbSuite } from "./definitions/search-bohb.ts";
import { validateSuite, type Suite } from "./suite.ts";

export { budgetFor, isPaperCheckSuite, PAPER_METHOD, validateSuite, type PaperCheckSuite, type Suite, type SuiteDefinition } from "./suite.ts";
export { papersSuite } from "./definitions/papers.ts";
export { isBenchmarkRegistered, loadBenchmark, registerBenchmark, registerBenchmarkFamily, registeredBenchmarks, type BenchmarkEntry, type BenchmarkFamily, type SuiteBenchmark } from "./benchmark-registry.ts";
export { STANDARD_METHODS, syntheticSuite } from "./definitions/synthetic.ts";
export { rlSuite } from "./definitions/rl.ts";
export { LCBENCH_TASKS, lcbenchSuite } from "./definitions/lcbench.ts";
export { schedulersSuite } from "./definitions/schedulers.ts";
export { searchBohbSuite } from "./definitions/search-bohb.ts";
export { suiteReport, type SuiteReport, type SuiteReportOptions } from "./report/suite-report.ts";
export { regretAt, timeToTarget, type Axis } from "./report/anytime.ts";

const suites = new Map<string, Suite>();

/** Adds a suite `tunelab bench --suite` can run (a user module passed with --import calls this). */
export function registerSuite(suite: Suite): void {
  validateSuite(suite);
  if (suites.has(suite.name)) throw new OptionError("suite.name", `"${suite.name}" is already registered`);
  suites.set(suite.name, suite);
}

export function suiteNames(): string[] {
  return [...suites.keys()];
}

export function suiteByName(name: string): Suite {
  const suite = suites.get(name);
  if (!suite) throw new OptionError("suite", `unknown name "${name}"; known: ${suiteNames().join(", ")}`);
  return suite;
}

for (const suite of [syntheticSuite, lcbenchSuite, rlSuite, schedulersSuite, searchBohbSuite, papersSuite]) registerSuite(suite);
export { cellKey, type CellBase, type CellRecord, type CellSpec, type CurvePoint, type FailedCell, type FinishedCell, type PaperCheckCell, isFinishedCell } from "./cell-record.ts";
