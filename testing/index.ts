// tunelab/testing: the property-test kit TuneLab tests its own schedulers and searchers with.
export { checkScheduler, checkSchedulerCase, type CheckSchedulerOptions, type Invariant, type InvariantView, type SchedulerCheckReport, type SchedulerFactory } from "./check-scheduler.ts";
export { checkSearcher, type CheckSearcherOptions, type SearcherCase, type SearcherCheckReport, type SearcherFactory, type SearcherStep } from "./check-searcher.ts";
export { atMostFractionLeaveRung } from "./invariants.ts";
export { CheckFailure, PropertyViolation, type SchedulerCase } from "./failure.ts";
export { formatScript, type ScriptStep } from "./event-script.ts";
export { ScriptedExecutor, type FiredEvent, type ScriptedExecutorOptions } from "./scripted-executor.ts";
export { RecordingScheduler, type RecordingHooks, type SchedulerCall } from "./recording-scheduler.ts";
export { HotSwap } from "./hot-swap.ts";
export {
  expectNoLostOrRepeatedIterations,
  lostOrRepeatedIterations,
  mulberry,
  runScripted,
  scriptedLoop,
  seededMetric,
  type ScriptedRun,
  type ScriptedRunOptions,
} from "./run-scripted.ts";
export { configProblem, contractSpace, defaultScore, driveSearcher } from "./searcher-driver.ts";
