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
  resources: "a paused or pending trial was re-allocated (ResourceChangingScheduler); it runs on them from its next start; `trial`, `cpu`, `gpu`",
  stop: "a trial stopped; `trial`, `iteration`",
  stop_all: "a stopper ended the whole experiment (checked on the clock); every trial stops next",
  exploit: "a trial continues from another trial's checkpoint (PBT); `trial`, `from`, `iteration`",
  failed: "a trial failed; `trial`, `recoverable`, `reason`",
  node_up: "(simulator) a node joined the cluster; `node`, `nodeType`: the node type's name",
  node_added: "the loop saw a node join; `node`",
  node_lost: "the loop saw a node leave; `node`",
  preemption_notice: "a node will be preempted; `node`, `secondsLeft`",
  node_launch: "(simulator) the autoscaler asked for a node; `nodeType`, `reason`: demand or min_count, `delay`: seconds until it joins",
  launch_failed: "(simulator) a spot launch found no capacity in the availability trace; `nodeType`",
  node_terminated: "(simulator) the autoscaler removed an idle node; `node`, `nodeType`, `idleSeconds`",
  spot_fallback: "(simulator) too many spot failures in the window: the autoscaler launches on-demand types",
  spot_resumed: "(simulator) the spot failures left the window (seen at the autoscaler's next pass): it launches spot types again",
  storm: "(simulator) a correlated reclaim; `at`: when the nodes go, `fraction`, `lost`: nodes chosen, `of`: spot nodes there were",
  capacity_drop: "(simulator) the availability trace dropped below the spot nodes up; `nodeType`, `available`, `lost`",
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
