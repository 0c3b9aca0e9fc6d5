import { OptionError } from "../../core/contracts/index.ts";
import { lcbenchSuite } from "./definitions/lcbench.ts";
import { rlSuite } from "./definitions/rl.ts";
import { syntheticSuite } from "./definitions/synthetic.ts";
import { schedulersSuite } from "./definitions/schedulers.ts";
import { validateSuite, type SuiteDefinition } from "./suite.ts";

export { budgetFor, validateSuite, type SuiteDefinition } from "./suite.ts";
export { isBenchmarkRegistered, loadBenchmark, registerBenchmark, registerBenchmarkFamily, registeredBenchmarks, type BenchmarkEntry, type BenchmarkFamily, type SuiteBenchmark } from "./benchmark-registry.ts";
export { STANDARD_METHODS, syntheticSuite } from "./definitions/synthetic.ts";
export { rlSuite } from "./definitions/rl.ts";
export { LCBENCH_TASKS, lcbenchSuite } from "./definitions/lcbench.ts";
export { schedulersSuite } from "./definitions/schedulers.ts";
export { suiteReport, type SuiteReport, type SuiteReportOptions } from "./report/suite-report.ts";
export { regretAt, timeToTarget, type Axis } from "./report/anytime.ts";

const suites = new Map<string, SuiteDefinition>();

/** Adds a suite `tunelab bench --suite` can run (a user module passed with --import calls this; the paper checks are `tunelab check papers`, not a suite). */
export function registerSuite(suite: SuiteDefinition): void {
  validateSuite(suite);
  if (suites.has(suite.name)) throw new OptionError("suite.name", `"${suite.name}" is already registered`);
  suites.set(suite.name, suite);
}

export function suiteNames(): string[] {
  return [...suites.keys()];
}

export function suiteByName(name: string): SuiteDefinition {
  const suite = suites.get(name);
  if (!suite) throw new OptionError("suite", `unknown name "${name}"; known: ${suiteNames().join(", ")}`);
  return suite;
}

for (const suite of [syntheticSuite, lcbenchSuite, rlSuite, schedulersSuite]) registerSuite(suite);
export { cellKey, type CellBase, type CellRecord, type CellSpec, type CurvePoint, type FailedCell, type FinishedCell } from "./cell-record.ts";
