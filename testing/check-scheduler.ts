import fc from "fast-check";
import type { Mode, Scheduler, Searcher, TrialView } from "../core/contracts/index.ts";
import { OptionError } from "../core/contracts/index.ts";
import type { Space } from "../core/space/index.ts";
import { scriptArbitrary } from "./event-script.ts";
import { CheckFailure, describeSchedulerCase, PropertyViolation, type SchedulerCase } from "./failure.ts";
import { HotSwap } from "./hot-swap.ts";
import { RecordingScheduler, type SchedulerCall } from "./recording-scheduler.ts";
import { ExperimentDidNotEnd } from "./scripted-executor.ts";
import { lostOrRepeatedIterations, scriptedLoop, type ScriptedRun } from "./run-scripted.ts";
import { jsonRoundTripProblem } from "./json-round-trip.ts";

/** Builds a fresh scheduler for one run; the kit varies mode and seed across cases. */
export type SchedulerFactory = (params: { metric: string; mode: Mode; seed: number }) => Scheduler;

/** What an invariant sees after every call into the scheduler. */
export interface InvariantView {
  readonly trials: readonly TrialView[];
  readonly calls: readonly SchedulerCall[];
  readonly scheduler: Scheduler;
  readonly case: SchedulerCase;
}

/** Returns false or a message when the invariant is broken; true, undefined or nothing when it holds. */
export type Invariant = (view: InvariantView) => boolean | string | undefined | void;

export interface CheckSchedulerOptions {
  /** Cases to generate. @defaultValue 100 */
  numRuns?: number;
  /** fast-check seed; with `path`, replays exactly the case a failure printed. */
  seed?: number;
  path?: string;
  /** Most trials per case. @defaultValue 8 */
  maxTrials?: number;
  /** Most workers per case. @defaultValue 4 */
  maxWorkers?: number;
  /** Most iterations a trial may run (a stopper ends it there). @defaultValue 12 */
  maxIterations?: number;
  /** Inject failures and preemptions. @defaultValue true */
  failures?: boolean;
  /** Modes to try. @defaultValue ["min", "max"] */
  modes?: readonly Mode[];
  /** @defaultValue "loss" */
  metric?: string;
  /** Space of the trials' configs (PBT mutates it). @defaultValue { x: uniform(0, 1) } */
  space?: Space;
  /** Searcher proposing each run's trials (a replay's own searcher). @defaultValue RandomSearch over `space` with the case's seed */
  searcher?: (params: { metric: string; mode: Mode; seed: number }) => Searcher;
  /** Metric a trial reports at an iteration. @defaultValue a seeded uniform value per (trial, iteration) */
  metricAt?: (trial: TrialView, iteration: number) => number;
  /** Named user invariants, checked after every call into the scheduler. */
  invariants?: Readonly<Record<string, Invariant>>;
  /** A reference implementation: on every case it must decide exactly as the scheduler does. */
  oracle?: SchedulerFactory;
  /** Turn off the save/restore or determinism property (on by default). */
  saveRestore?: boolean;
  determinism?: boolean;
  /**
   * Whether every case must end within its event budget (8 events per trial
   * iteration). False checks the other properties on the runs cut at the budget:
   * for schedulers that may run forever without an experiment-wide budget, such as
   * asynchronous PBT (a trial re-exploiting a finished donor, Ray Tune issue 11499).
   * @defaultValue true
   */
  mustFinish?: boolean;
}

export interface SchedulerCheckReport {
  /** Cases generated and checked. */
  cases: number;
  /** Runs of the tune loop over all cases (each case runs straight, again, hot-swapped, and against the oracle). */
  loopRuns: number;
  /** Executor events fired over all runs. */
  events: number;
  seed: number;
  elapsedMs: number;
  properties: string[];
}

const DEFAULTS = { numRuns: 100, maxTrials: 8, maxWorkers: 4, maxIterations: 12 };

function caseArbitrary(o: CheckSchedulerOptions): fc.Arbitrary<SchedulerCase> {
  const failures = o.failures ?? true;
  const maxIterations = o.maxIterations ?? DEFAULTS.maxIterations;
  return fc.record({
    seed: fc.nat(1_000_000),
    mode: fc.constantFrom(...(o.modes ?? (["min", "max"] as const))),
    trials: fc.integer({ min: 1, max: o.maxTrials ?? DEFAULTS.maxTrials }),
    workers: fc.integer({ min: 1, max: o.maxWorkers ?? DEFAULTS.maxWorkers }),
    maxIterations: fc.integer({ min: 1, max: maxIterations }),
    maxFailures: failures ? fc.integer({ min: 0, max: 2 }) : fc.constant(0),
    swapAt: fc.uniqueArray(fc.integer({ min: 1, max: 120 }), { maxLength: 6 }).map((a) => a.sort((x, y) => x - y)),
    script: scriptArbitrary(80, failures),
  });
}

interface CaseRun {
  trace: string[];
  events: string[];
  run: ScriptedRun;
  recorder: RecordingScheduler;
  error: unknown;
  /** Cut at the event budget (only with mustFinish false). */
  truncated: boolean;
}

function eventLine(e: { trialId: string; kind: string; iteration: number }): string {
  return e.kind === "result" ? `${e.trialId} result #${e.iteration}` : `${e.trialId} ${e.kind}${e.kind === "checkpoint" ? ` @${e.iteration}` : ""}`;
}

class Checker {
  loopRuns = 0;
  events = 0;
  constructor(
    private readonly factory: SchedulerFactory,
    private readonly o: CheckSchedulerOptions,
  ) {}

  private runOnce(c: SchedulerCase, scheduler: Scheduler, invariants: boolean): CaseRun {
    const metric = this.o.metric ?? "loss";
    let recorder: RecordingScheduler | undefined;
    const check = (): void => {
      if (!invariants || !this.o.invariants || !recorder) return;
      for (const [name, invariant] of Object.entries(this.o.invariants)) {
        const verdict = invariant({ trials: run.loop.trials, calls: recorder.calls, scheduler, case: c });
        if (verdict === false || typeof verdict === "string") {
          const detail = `broken after call ${recorder.trace.length}${typeof verdict === "string" ? `: ${verdict}` : ""}`;
          throw new PropertyViolation(`invariant: ${name}`, detail, recorder.trace);
        }
      }
    };
    recorder = new RecordingScheduler(scheduler, { afterAny: check });
    const run = scriptedLoop({
      scheduler: recorder,
      trials: c.trials,
      workers: c.workers,
      seed: c.seed,
      mode: c.mode,
      metric,
      maxIterations: c.maxIterations,
      maxFailures: c.maxFailures,
      script: c.script,
      ...(this.o.space ? { space: this.o.space } : {}),
      ...(this.o.searcher ? { searcher: this.o.searcher({ metric, mode: c.mode, seed: c.seed }) } : {}),
      ...(this.o.metricAt ? { metricAt: this.o.metricAt } : {}),
    });
    this.loopRuns++;
    let error: unknown;
    try {
      run.loop.begin();
      run.executor.run(() => run.loop.finished, c.trials * c.maxIterations * 8 + c.script.length + 100);
    } catch (e) {
      error = e;
    }
    this.events += run.executor.fired.length;
    const truncated = error instanceof ExperimentDidNotEnd && error.reason === "budget" && this.o.mustFinish === false;
    return { trace: recorder.trace, events: run.executor.fired.map(eventLine), run, recorder, error: truncated ? undefined : error, truncated };
  }

  private fresh(c: SchedulerCase): Scheduler {
    return this.factory({ metric: this.o.metric ?? "loss", mode: c.mode, seed: c.seed });
  }

  /** Every property on one case; throws a PropertyViolation for the first that fails. */
  check(c: SchedulerCase): void {
    const straight = this.runOnce(c, this.fresh(c), true);
    const fail = (property: string, message: string, r: CaseRun = straight): never => {
      throw new PropertyViolation(property, message, r.trace, r.events);
    };
    const { run, recorder } = straight;
    if (recorder.violations.length > 0) {
      // Cut the report where the first illegal call happened: what follows is noise.
      const at = recorder.firstViolationAt ?? { call: straight.trace.length, time: straight.events.length };
      throw new PropertyViolation("legal decisions", recorder.violations[0] as string, straight.trace.slice(0, at.call), straight.events.slice(0, at.time));
    }
    if (straight.error instanceof PropertyViolation) throw new PropertyViolation(straight.error.property, straight.error.detail, straight.trace, straight.events);
    if (straight.error instanceof ExperimentDidNotEnd) fail("the experiment ends", straight.error.message);
    if (straight.error !== undefined) fail("no crash", `the run threw: ${(straight.error as Error)?.message ?? String(straight.error)}`);
    if (run.executor.violations.length > 0) fail("capacity", run.executor.violations[0] as string);
    const unfinished = straight.truncated ? [] : run.loop.trials.filter((t) => t.status !== "TERMINATED" && t.status !== "ERROR");
    if (unfinished.length > 0) fail("every trial ends", `${unfinished.map((t) => `${t.id} is ${t.status}`).join(", ")} at the end`);
    const starved = straight.truncated ? [] : [...recorder.offeredPending];
    if (starved.length > 0) {
      fail("no starvation", `${starved.join(", ")} never ran: offered with a free worker, never chosen, and the experiment ended without it`);
    }
    const iterations = lostOrRepeatedIterations(run);
    if (iterations.length > 0) fail("iterations 1..k exactly once", iterations[0] as string);

    if (this.o.determinism ?? true) {
      const again = this.runOnce(c, this.fresh(c), false);
      compareTraces("determinism", "a second run of the same case with a fresh scheduler", straight, again);
    }
    if (this.o.saveRestore ?? true) {
      // The state must survive JSON exactly, or a restore elsewhere gets something else.
      const probe = this.fresh(c);
      const problem = jsonRoundTripProblem(probe.save());
      if (problem) fail("save/restore", `save() of a fresh scheduler ${problem}`);
      const swapped = this.runOnce(c, new HotSwap(() => this.fresh(c), new Set(c.swapAt)), false);
      compareTraces("save/restore", `a run restored from save() before calls ${JSON.stringify(c.swapAt)}`, straight, swapped);
    }
    if (this.o.oracle) {
      const oracle = this.o.oracle;
      const reference = this.runOnce(c, oracle({ metric: this.o.metric ?? "loss", mode: c.mode, seed: c.seed }), false);
      compareTraces("oracle", "the reference oracle", straight, reference);
    }
  }
}

function compareTraces(property: string, what: string, a: CaseRun, b: CaseRun): void {
  const n = Math.max(a.trace.length, b.trace.length);
  for (let i = 0; i < n; i++) {
    if (a.trace[i] !== b.trace[i]) {
      throw new PropertyViolation(
        property,
        `${what} differs at call ${i + 1}: expected "${a.trace[i] ?? "(end of run)"}", got "${b.trace[i] ?? "(end of run)"}"`,
        a.trace.slice(0, i + 1),
        a.events,
      );
    }
  }
  if (b.error !== undefined && a.error === undefined) {
    throw new PropertyViolation(property, `${what} threw: ${(b.error as Error)?.message ?? String(b.error)}`, b.trace, b.events);
  }
}

function failureFor(error: unknown, c: SchedulerCase, casesRun: number, shrinks: number, replay: string, seed?: number, path?: string): CheckFailure {
  const v = error instanceof PropertyViolation ? error : undefined;
  return new CheckFailure({
    kit: "checkScheduler",
    property: v?.property ?? "no crash",
    violation: v?.detail ?? `threw: ${(error as Error)?.message ?? String(error)}`,
    counterexample: c,
    casesRun,
    shrinks,
    // A fast-check failure also offers the case for a regression test; a single-case check already is one.
    details: seed === undefined ? describeSchedulerCase(c, v) : `${describeSchedulerCase(c, v)}\n  as a regression test: checkSchedulerCase(factory, ${JSON.stringify(c)})`,
    replay,
    ...(seed !== undefined ? { seed } : {}),
    ...(path !== undefined ? { path } : {}),
  });
}

/**
 * Checks every property on exactly one case (the one a failure printed), without
 * fast-check: for a regression test that keeps a found bug fixed.
 */
export function checkSchedulerCase(factory: SchedulerFactory, c: SchedulerCase, options: CheckSchedulerOptions = {}): void {
  if (typeof factory !== "function") throw new OptionError("checkSchedulerCase.factory", "must be a function returning a new Scheduler");
  try {
    new Checker(factory, options).check(c);
  } catch (e) {
    throw failureFor(e, c, 1, 0, `checkSchedulerCase(factory, ${JSON.stringify(c)})`);
  }
}

function positive(field: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new OptionError(`checkScheduler.${field}`, `must be an integer >= 1, got ${v}`);
}

/**
 * Property-tests a scheduler in the real tune loop on generated cases (trial
 * counts, workers, iteration caps, event orders, failures, preemptions, save
 * points). Returns a report when every property holds; throws a CheckFailure
 * naming the property, the shrunk case and how to replay it otherwise. Needs
 * no test framework: call it inside any test (vitest, jest, node:test) or a script.
 */
export function checkScheduler(factory: SchedulerFactory, options: CheckSchedulerOptions = {}): SchedulerCheckReport {
  if (typeof factory !== "function") throw new OptionError("checkScheduler.factory", "must be a function returning a new Scheduler");
  positive("numRuns", options.numRuns);
  positive("maxTrials", options.maxTrials);
  positive("maxWorkers", options.maxWorkers);
  positive("maxIterations", options.maxIterations);
  const checker = new Checker(factory, options);
  const started = performance.now();
  let last: SchedulerCase | undefined;
  const details = fc.check(
    fc.property(caseArbitrary(options), (c) => {
      last = c;
      checker.check(c);
    }),
    {
      numRuns: options.numRuns ?? DEFAULTS.numRuns,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.path !== undefined ? { path: options.path } : {}),
    },
  );
  if (details.failed) {
    const c = (details.counterexample?.[0] ?? last) as SchedulerCase;
    const path = details.counterexamplePath ?? "";
    throw failureFor(details.errorInstance, c, details.numRuns, details.numShrinks, `checkScheduler(factory, { seed: ${details.seed}, path: "${path}" })`, details.seed, path);
  }
  return {
    cases: details.numRuns,
    loopRuns: checker.loopRuns,
    events: checker.events,
    seed: details.seed,
    elapsedMs: performance.now() - started,
    properties: [
      "legal decisions",
      "no crash",
      ...((options.mustFinish ?? true) ? ["the experiment ends"] : []),
      "capacity",
      "every trial ends",
      "no starvation",
      "iterations 1..k exactly once",
      ...((options.determinism ?? true) ? ["determinism"] : []),
      ...((options.saveRestore ?? true) ? ["save/restore"] : []),
      ...Object.keys(options.invariants ?? {}).map((n) => `invariant: ${n}`),
      ...(options.oracle ? ["oracle"] : []),
    ],
  };
}
