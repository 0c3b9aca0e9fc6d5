import fc from "fast-check";
import type { Config, Json, Mode, Result, Searcher } from "../core/contracts/index.ts";
import { OptionError } from "../core/contracts/index.ts";
import type { Space } from "../core/space/index.ts";
import { CheckFailure, PropertyViolation } from "./failure.ts";
import { jsonRoundTripProblem } from "./json-round-trip.ts";
import { configProblem, contractSpace, defaultScore } from "./searcher-driver.ts";

/** Builds a fresh searcher; the kit varies the seed. The options are what `new X(space, options)` takes. */
export type SearcherFactory = (space: Space, options: { metric: string; mode: Mode; seed: number }) => Searcher;

/**
 * One call the kit makes: ask for a trial, report a result of a pending trial
 * (`pick` modulo the pending ones, oldest first; `redo` repeats its last iteration,
 * as after a restore), or complete one, possibly as an error or without a result.
 */
export type SearcherStep =
  | { readonly op: "suggest" }
  | { readonly op: "result"; readonly pick: number; readonly redo: boolean }
  | { readonly op: "complete"; readonly pick: number; readonly error: boolean; readonly withLast: boolean };

export interface SearcherCase {
  seed: number;
  mode: Mode;
  script: SearcherStep[];
  /** Step before which the save/restore run swaps in a restored instance (past the end: after the last step). */
  saveAt: number;
}

export interface CheckSearcherOptions {
  /** @defaultValue 50 */
  numRuns?: number;
  seed?: number;
  path?: string;
  /** @defaultValue contractSpace (mixed, with a conditional branch) */
  space?: Space;
  /** @defaultValue "loss" */
  metric?: string;
  /** Score a trial reports. @defaultValue defaultScore */
  score?: (config: Config) => number;
  /** Longest generated script. @defaultValue 60 */
  maxSteps?: number;
  /** Trials suggested at once with none completed, in the "many pending" check. @defaultValue 40 */
  pending?: number;
  /** Trials suggested and completed one by one before the pending burst, so a model-based searcher is past its random start. @defaultValue 10 */
  warmup?: number;
  /** Share of the pending burst's suggestions that must differ. @defaultValue 0.5 */
  minDistinctFraction?: number;
  /** Whether another seed must give other suggestions (false for grid search). @defaultValue true */
  seedSensitive?: boolean;
  /** Keys a suggestion may add to the space's (e.g. the Repeater's trial index). @defaultValue [] */
  extraKeys?: readonly string[];
  saveRestore?: boolean;
}

export interface SearcherCheckReport {
  cases: number;
  seed: number;
  elapsedMs: number;
  /** Calls into searchers over all cases. */
  calls: number;
  properties: string[];
}

function stepArbitrary(): fc.Arbitrary<SearcherStep> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant({ op: "suggest" as const }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("result" as const), pick: fc.nat(7), redo: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("complete" as const), pick: fc.nat(7), error: fc.boolean(), withLast: fc.boolean() }) },
  );
}

interface Pending {
  id: string;
  config: Config;
  iteration: number;
  last: Result | undefined;
}

interface Drive {
  answers: string[];
  calls: number;
}

class SearcherChecker {
  calls = 0;
  constructor(
    private readonly factory: SearcherFactory,
    private readonly o: CheckSearcherOptions,
  ) {}
  get space(): Space {
    return this.o.space ?? contractSpace;
  }
  fresh(seed: number, mode: Mode): Searcher {
    return this.factory(this.space, { metric: this.o.metric ?? "loss", mode, seed });
  }

  /** Plays the script; with `swapAt`, swaps in a restored instance before that step. Throws a PropertyViolation on misuse. */
  drive(c: SearcherCase, swapAt?: number): Drive {
    const metric = this.o.metric ?? "loss";
    const score = this.o.score ?? defaultScore;
    let searcher = this.fresh(c.seed, c.mode);
    const answers: string[] = [];
    const pending: Pending[] = [];
    let next = 0;
    let done = false;
    const at = (i: number, what: string, e: unknown): never => {
      throw new PropertyViolation("no crash", `step ${i + 1}: ${what} threw: ${(e as Error)?.message ?? String(e)}`, answers);
    };
    c.script.forEach((step, i) => {
      if (swapAt === i) {
        let state: Json;
        try {
          state = searcher.save();
        } catch (e) {
          at(i, "save", e);
        }
        const problem = jsonRoundTripProblem(state!);
        if (problem) throw new PropertyViolation("save/restore", `save() before step ${i + 1} ${problem}`, answers);
        searcher = this.fresh(c.seed, c.mode);
        try {
          searcher.restore(JSON.parse(JSON.stringify(state!)) as Json);
        } catch (e) {
          at(i, "restore", e);
        }
      }
      this.calls++;
      if (step.op === "suggest") {
        if (done) return;
        const id = `t${next++}`;
        let s: Config | "wait" | "done";
        try {
          s = searcher.suggest(id);
        } catch (e) {
          return at(i, `suggest(${id})`, e);
        }
        if (s === "done") {
          done = true;
          answers.push(`${id} done`);
        } else if (s === "wait") {
          answers.push(`${id} wait`);
          if (pending.length === 0) throw new PropertyViolation('"wait" and "done"', `suggest(${id}) answered "wait" with no trial pending: nothing would ever complete, the experiment would end`, answers);
        } else {
          answers.push(`${id} ${JSON.stringify(s)}`);
          const problem = configProblem(this.space, s, this.o.extraKeys ?? []);
          if (problem) throw new PropertyViolation("inside the space", `suggest(${id}): ${problem}`, answers);
          pending.push({ id, config: structuredClone(s), iteration: 0, last: undefined });
        }
        return;
      }
      if (pending.length === 0) return;
      const p = pending[step.pick % pending.length] as Pending;
      if (step.op === "result") {
        p.iteration = step.redo ? Math.max(1, p.iteration) : p.iteration + 1;
        const r: Result = { trialId: p.id, iteration: p.iteration, metrics: { [metric]: score(p.config) + p.iteration / 100 }, time: i, timeTotal: p.iteration };
        p.last = r;
        try {
          searcher.onTrialResult?.(p.id, r);
        } catch (e) {
          at(i, `onTrialResult(${p.id}, iteration ${p.iteration})`, e);
        }
        return;
      }
      pending.splice(pending.indexOf(p), 1);
      try {
        searcher.onTrialComplete(p.id, step.withLast ? p.last : undefined, step.error);
      } catch (e) {
        at(i, `onTrialComplete(${p.id}, ${step.withLast && p.last ? "last result" : "no result"}, error=${step.error})`, e);
      }
    });
    return { answers, calls: c.script.length };
  }

  check(c: SearcherCase): void {
    const straight = this.drive(c);
    const again = this.drive(c);
    compare("determinism", "a second run with the same seed", straight.answers, again.answers);
    if (this.o.saveRestore ?? true) {
      const swapAt = Math.min(c.saveAt, c.script.length);
      const swapped = this.drive(c, swapAt);
      compare("save/restore", `a run restored from save() before step ${swapAt + 1}`, straight.answers, swapped.answers);
    }
  }

  /** Many pending trials at once: valid, mostly distinct, and completing them out of order and as errors crashes nothing. */
  checkPending(seed: number): void {
    const n = this.o.pending ?? 40;
    const searcher = this.fresh(seed, "min");
    const metric = this.o.metric ?? "loss";
    const score = this.o.score ?? defaultScore;
    for (let i = 0; i < (this.o.warmup ?? 10); i++) {
      const id = `w${i}`;
      const s = searcher.suggest(id);
      if (typeof s !== "object") break;
      const problem = configProblem(this.space, s, this.o.extraKeys ?? []);
      if (problem) throw new PropertyViolation("inside the space", `warm-up suggest(${id}): ${problem}`);
      const r: Result = { trialId: id, iteration: 1, metrics: { [metric]: score(s) }, time: i, timeTotal: 1 };
      searcher.onTrialResult?.(id, r);
      searcher.onTrialComplete(id, r, false);
    }
    const configs: Array<[string, Config]> = [];
    for (let i = 0; i < n; i++) {
      const id = `p${i}`;
      const s = searcher.suggest(id);
      if (s === "done") break;
      if (s === "wait") {
        if (configs.length === 0) throw new PropertyViolation('"wait" and "done"', `suggest(${id}) answered "wait" with no trial pending`);
        break;
      }
      const problem = configProblem(this.space, s, this.o.extraKeys ?? []);
      if (problem) throw new PropertyViolation("inside the space", `pending suggest(${id}): ${problem}`);
      configs.push([id, s]);
    }
    if (configs.length === 0) throw new PropertyViolation("many pending trials", "the first suggest answered \"done\"");
    const distinct = new Set(configs.map(([, c]) => JSON.stringify(c))).size;
    const fraction = this.o.minDistinctFraction ?? 0.5;
    if (distinct < fraction * configs.length) {
      throw new PropertyViolation("many pending trials", `${configs.length} pending suggestions hold only ${distinct} distinct configs (want >= ${fraction * configs.length})`);
    }
    // Complete newest first, every third as an error.
    configs.reverse().forEach(([id, c], k) => {
      const r: Result = { trialId: id, iteration: 1, metrics: { [this.o.metric ?? "loss"]: (this.o.score ?? defaultScore)(c) }, time: k, timeTotal: 1 };
      searcher.onTrialResult?.(id, r);
      searcher.onTrialComplete(id, r, k % 3 === 2);
    });
    const after = searcher.suggest("after");
    if (typeof after === "object") {
      const problem = configProblem(this.space, after, this.o.extraKeys ?? []);
      if (problem) throw new PropertyViolation("inside the space", `suggest after the pending burst: ${problem}`);
    }
  }

  checkSeedMatters(): void {
    const a = this.drive({ seed: 1, mode: "min", script: Array.from({ length: 8 }, () => ({ op: "suggest" as const })), saveAt: 0 });
    const b = this.drive({ seed: 2, mode: "min", script: Array.from({ length: 8 }, () => ({ op: "suggest" as const })), saveAt: 0 });
    if (JSON.stringify(a.answers) === JSON.stringify(b.answers)) {
      throw new PropertyViolation("seed", "seeds 1 and 2 give the same 8 suggestions (pass seedSensitive: false for a searcher that ignores its seed)", a.answers);
    }
  }
}

function compare(property: string, what: string, a: readonly string[], b: readonly string[]): void {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      throw new PropertyViolation(property, `${what} differs at suggestion ${i + 1}: expected ${a[i] ?? "(none)"}, got ${b[i] ?? "(none)"}`, a.slice(0, i + 1));
    }
  }
}

function formatStep(s: SearcherStep): string {
  if (s.op === "suggest") return "S";
  if (s.op === "result") return `R${s.pick}${s.redo ? "r" : ""}`;
  return `C${s.pick}${s.error ? "e" : ""}${s.withLast ? "" : "-"}`;
}

/**
 * Property-tests a searcher on generated call scripts (suggestions, late and
 * out-of-order results, completions as errors, save points) and a burst of
 * pending trials. Returns a report, or throws a CheckFailure with the shrunk
 * script and the `{ seed, path }` that replays it.
 */
export function checkSearcher(factory: SearcherFactory, options: CheckSearcherOptions = {}): SearcherCheckReport {
  if (typeof factory !== "function") throw new OptionError("checkSearcher.factory", "must be a function returning a new Searcher");
  if (options.warmup !== undefined && !(Number.isInteger(options.warmup) && options.warmup >= 0)) {
    throw new OptionError("checkSearcher.warmup", `must be an integer >= 0, got ${options.warmup}`);
  }
  for (const field of ["numRuns", "maxSteps", "pending"] as const) {
    const v = options[field];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new OptionError(`checkSearcher.${field}`, `must be an integer >= 1, got ${v}`);
  }
  const checker = new SearcherChecker(factory, options);
  const started = performance.now();
  const fixed = (property: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      const v = e instanceof PropertyViolation ? e : new PropertyViolation(property, `threw: ${(e as Error)?.message ?? String(e)}`);
      throw new CheckFailure({
        kit: "checkSearcher",
        property: v.property,
        violation: v.detail,
        counterexample: null,
        casesRun: 1,
        shrinks: 0,
        details: v.trace.length > 0 ? `  answers:\n${v.trace.slice(-20).map((l) => `    ${l}`).join("\n")}` : "",
        replay: `checkSearcher(factory, ${JSON.stringify({ ...(options.seed !== undefined ? { seed: options.seed } : {}) })}) (a fixed check, the same on every run)`,
      });
    }
  };
  const arbitrary = fc.record({
    seed: fc.nat(1_000_000),
    mode: fc.constantFrom("min" as const, "max" as const),
    script: fc.array(stepArbitrary(), { maxLength: options.maxSteps ?? 60 }),
    saveAt: fc.nat(10),
  });
  const details = fc.check(
    fc.property(arbitrary, (c) => checker.check(c)),
    {
      numRuns: options.numRuns ?? 50,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.path !== undefined ? { path: options.path } : {}),
    },
  );
  if (details.failed) {
    const c = details.counterexample?.[0] as SearcherCase;
    const error = details.errorInstance;
    const v = error instanceof PropertyViolation ? error : undefined;
    const body = [
      `  case: ${JSON.stringify({ seed: c.seed, mode: c.mode, saveAt: Math.min(c.saveAt, c.script.length) })}`,
      `  script (S suggest, R<pick> result, r redo, C<pick> complete, e error, - without result): ${c.script.map(formatStep).join(" ") || "(empty)"}`,
      ...(v && v.trace.length > 0 ? [`  answers:\n${v.trace.slice(-20).map((l) => `    ${l}`).join("\n")}`] : []),
    ].join("\n");
    const path = details.counterexamplePath ?? "";
    throw new CheckFailure({
      kit: "checkSearcher",
      property: v?.property ?? "no crash",
      violation: v?.detail ?? `threw: ${(error as Error)?.message ?? String(error)}`,
      counterexample: c,
      casesRun: details.numRuns,
      shrinks: details.numShrinks,
      details: body,
      replay: `checkSearcher(factory, { seed: ${details.seed}, path: "${path}" })`,
      seed: details.seed,
      path,
    });
  }
  // Fixed checks after the generated ones, so a bug both find is reported with its shrunk script.
  if (options.path === undefined) {
    fixed("many pending trials", () => checker.checkPending(options.seed ?? 7));
    if (options.seedSensitive ?? true) fixed("seed", () => checker.checkSeedMatters());
  }
  return {
    cases: details.numRuns,
    seed: details.seed,
    elapsedMs: performance.now() - started,
    calls: checker.calls,
    properties: [
      "inside the space",
      '"wait" and "done"',
      "no crash",
      "determinism",
      ...((options.saveRestore ?? true) ? ["save/restore"] : []),
      "many pending trials",
      ...((options.seedSensitive ?? true) ? ["seed"] : []),
    ],
  };
}
