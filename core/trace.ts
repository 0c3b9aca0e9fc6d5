/**
 * Opt-in event trace: one JSON object per line (JSONL). Off by default so the
 * simulator's hot loop pays nothing; when on, records are plain data written in
 * event order, so two runs with the same seed produce byte-identical traces.
 */
/**
 * Every event type a trace line may carry in its `type` field, and what it means.
 * Each line is `{ seq, t, type, ...fields }`: `seq` counts lines from 1, `t` is the
 * executor's clock in seconds (simulated time in the simulator).
 */
export const TRACE_EVENT_TYPES = {
  experiment_start: "the loop starts; `trials`: the trial budget",
  experiment_end: "the loop ends; `trials`: trials created",
  trial_add: "the searcher suggested a trial; `trial`, `config`",
  start: "a trial is (re)started; `trial`, `restore`: checkpoint iteration restored from, or null",
  actor_start: "(simulator) a trial's actor is placed on a node; `trial`, `node`, `startup`: seconds of start-up",
  result: "a trial reported a result; `trial`, `iteration`, `value`: the metric",
  checkpoint: "a checkpoint was saved; `trial`, `iteration`",
  checkpoint_discarded: "a checkpoint was deleted by retention; `trial`, `iteration`",
  pause: "a scheduler paused a trial; `trial`, `iteration`",
  stop: "a trial stopped; `trial`, `iteration`",
  stop_all: "a stopper ended the whole experiment (checked on the clock); every trial stops next",
  exploit: "a trial continues from another trial's checkpoint (PBT); `trial`, `from`, `iteration`",
  failed: "a trial failed; `trial`, `recoverable`, `reason`",
  node_up: "(simulator) a node joined the cluster; `node`, `nodeType`: the node type's name",
  node_added: "the loop saw a node join; `node`",
  node_lost: "the loop saw a node leave; `node`",
  preemption_notice: "a node will be preempted; `node`, `secondsLeft`",
} as const;

export type TraceEventType = keyof typeof TRACE_EVENT_TYPES;

/** A record's own fields; `seq`, `t` and `type` are the trace's and cannot be overwritten. */
export type TraceFields = Record<string, string | number | boolean | null | undefined | object> & { seq?: never; t?: never; type?: never };

export class EventTrace {
  private count = 0;
  constructor(private readonly write: (line: string) => void) {}

  emit(time: number, type: TraceEventType, fields?: TraceFields): void {
    this.count++;
    this.write(JSON.stringify({ seq: this.count, t: roundTime(time), type, ...fields }) + "\n");
  }

  get records(): number {
    return this.count;
  }

  /** Numbers on after `records` lines already written (an experiment restored exactly continues its trace). */
  continueAfter(records: number): void {
    this.count = records;
  }
}

/** Collects trace lines in memory (tests, or the CLI before writing a file). */
export function memoryTrace(): { trace: EventTrace; lines: string[] } {
  const lines: string[] = [];
  return { trace: new EventTrace((line) => lines.push(line)), lines };
}

// Microsecond resolution keeps traces readable and free of float noise in the last digits.
function roundTime(t: number): number {
  return Math.round(t * 1e6) / 1e6;
}
