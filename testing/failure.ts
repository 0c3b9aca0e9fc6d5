import { formatScript, type ScriptStep } from "./event-script.ts";

/** What one generated case is made of; the kit prints it, shrunk, when a property fails. */
export interface SchedulerCase {
  /** Seeds the scheduler, the searcher and the metric values. */
  seed: number;
  mode: "min" | "max";
  trials: number;
  workers: number;
  /** Trials stop at this iteration. */
  maxIterations: number;
  /** Failures a trial may have before ERROR. */
  maxFailures: number;
  /** Scheduler calls (1-based) before which the save/restore run swaps in a restored instance. */
  swapAt: number[];
  script: ScriptStep[];
}

/** A property that does not hold in one run; `trace` is the scheduler's calls and answers. */
export class PropertyViolation extends Error {
  constructor(
    readonly property: string,
    readonly detail: string,
    readonly trace: readonly string[] = [],
    readonly events: readonly string[] = [],
  ) {
    super(`${property}: ${detail}`);
    this.name = "PropertyViolation";
  }
}

/**
 * Thrown by checkScheduler and checkSearcher when a property fails: the message
 * names the property, shows the shrunk case and its event script, and says how
 * to rerun exactly that case (`{ seed, path }`).
 */
export class CheckFailure extends Error {
  readonly kit: "checkScheduler" | "checkSearcher";
  readonly property: string;
  /** What went wrong, one line. */
  readonly violation: string;
  /** The fast-check seed and path that replay the case (absent for a single-case check). */
  readonly seed: number | undefined;
  readonly path: string | undefined;
  /** The shrunk case. */
  readonly counterexample: unknown;
  readonly casesRun: number;
  readonly shrinks: number;

  constructor(f: {
    kit: "checkScheduler" | "checkSearcher";
    property: string;
    violation: string;
    counterexample: unknown;
    casesRun: number;
    shrinks: number;
    details: string;
    /** The call that reruns exactly this case. */
    replay: string;
    seed?: number;
    path?: string;
  }) {
    super(
      [
        `${f.kit}: property "${f.property}" failed after ${f.casesRun} case(s), shrunk ${f.shrinks} time(s)`,
        `  ${f.violation}`,
        f.details,
        `Replay exactly this case: ${f.replay}`,
      ]
        .filter((l) => l !== "")
        .join("\n"),
    );
    this.name = "CheckFailure";
    this.kit = f.kit;
    this.property = f.property;
    this.violation = f.violation;
    this.seed = f.seed;
    this.path = f.path;
    this.counterexample = f.counterexample;
    this.casesRun = f.casesRun;
    this.shrinks = f.shrinks;
  }
}

function tail(lines: readonly string[], n: number): string {
  const shown = lines.slice(-n).map((l) => `    ${l}`);
  return (lines.length > n ? [`    ... ${lines.length - n} earlier line(s)`, ...shown] : shown).join("\n");
}

/** The readable body of a checkScheduler failure: the case, its minimal event script, what the executor fired, the trace's end. */
export function describeSchedulerCase(c: SchedulerCase, v: PropertyViolation | undefined): string {
  const { script, ...rest } = c;
  const lines = [`  case: ${JSON.stringify(rest)}`, `  event script (pick modulo in-flight trials; ! fails, ~ preempts): ${formatScript(script)}`];
  if (v && v.events.length > 0) lines.push(`  events fired (${v.events.length}):\n${tail(v.events, 30)}`);
  if (v && v.trace.length > 0) lines.push(`  scheduler trace (${v.trace.length} calls):\n${tail(v.trace, 30)}`);
  return lines.join("\n");
}
