import { TRACE_FILE, experimentFile } from "../../core/experiment-dir/index.ts";
import type { ExperimentAnalysis } from "../analysis/index.ts";
import { readJsonLines } from "../analysis/index.ts";
import { secondsOf } from "../analysis/load-experiment.ts";

/** Rows the report's figures plot, computed from one or more experiment directories. */
export interface NamedExperiment {
  readonly name: string;
  readonly analysis: ExperimentAnalysis;
}

export function bestSoFarRows(experiments: readonly NamedExperiment[]): Array<{ experiment: string; time: number; gpuHours: number; value: number }> {
  return experiments.flatMap(({ name, analysis }) => analysis.bestSoFar().map((p) => ({ experiment: name, ...p })));
}

export function learningCurveRows(analysis: ExperimentAnalysis): Array<{ trial: string; ending: string; iteration: number; time: number; value: number }> {
  return analysis.learningCurves().flatMap((c) => c.points.map((p) => ({ trial: c.trialId, ending: c.ending, iteration: p.iteration, time: p.time, value: p.value })));
}

/** Numeric hyperparameters (at most 6) against each trial's last metric value. */
export function configRows(analysis: ExperimentAnalysis): { params: string[]; rows: Array<{ trial: string; ending: string; param: string; setting: number; value: number }> } {
  const metric = analysis.meta?.metric;
  const params: string[] = [];
  for (const t of analysis.trials) {
    for (const [k, v] of Object.entries(t.initialConfig)) if (typeof v === "number" && !params.includes(k)) params.push(k);
  }
  const shown = params.slice(0, 6);
  const rows: Array<{ trial: string; ending: string; param: string; setting: number; value: number }> = [];
  for (const t of analysis.trials) {
    const value = metric === undefined ? undefined : t.results.at(-1)?.metrics[metric];
    if (value === undefined) continue;
    for (const p of shown) {
      const setting = t.initialConfig[p];
      if (typeof setting === "number") rows.push({ trial: t.id, ending: analysis.endingOf(t), param: p, setting, value });
    }
  }
  return { params: shown, rows };
}

export interface LineageRows {
  nodes: Array<{ trial: string; time: number; end: number; ending: string }>;
  edges: Array<{ time: number; donor: string; recipient: string; iteration: number }>;
  schedule: Array<{ trial: string; param: string; iteration: number; setting: number }>;
}

/** One node per trial (its lifetime), one edge per exploit, and each trial's schedule of numeric hyperparameters. */
export function lineageRows(analysis: ExperimentAnalysis): LineageRows {
  const lineage = analysis.pbtLineage();
  const nodes = analysis.trials.map((t) => ({
    trial: t.id,
    time: t.results[0]?.time ?? 0,
    end: t.results.at(-1)?.time ?? 0,
    ending: analysis.endingOf(t),
  }));
  const edges = lineage.edges.map((e) => ({ time: e.time, donor: e.donor, recipient: e.recipient, iteration: e.iteration }));
  const schedule: LineageRows["schedule"] = [];
  for (const [trial, steps] of lineage.schedules) {
    const t = analysis.trial(trial);
    for (const step of steps) {
      for (const [param, v] of Object.entries(step.config)) if (typeof v === "number") schedule.push({ trial, param, iteration: step.iteration, setting: v });
    }
    // Carry the last setting to the trial's last iteration, so each line spans the whole run.
    const last = steps.at(-1);
    if (last) {
      for (const [param, v] of Object.entries(last.config)) if (typeof v === "number" && t.iterations > last.iteration) schedule.push({ trial, param, iteration: t.iterations, setting: v });
    }
  }
  return { nodes, edges, schedule };
}

interface TraceLine {
  readonly t: number;
  readonly type: string;
  readonly node?: string;
  readonly trial?: string;
  readonly recoverable?: boolean;
}

export interface TimelineRows {
  busy: Array<{ time: number; gpus: number }>;
  events: Array<{ time: number; event: string; detail: string }>;
}

/**
 * The simulated cluster over time: GPUs busy training (from each result's step,
 * `time - step seconds` to `time`, times the trial's GPUs) and the trace's
 * node losses, preemption notices and preempted trials. Undefined without a trace.
 */
export function timelineRows(analysis: ExperimentAnalysis, maxPoints = 1500): TimelineRows | undefined {
  const trace = readJsonLines<TraceLine>(experimentFile(analysis.dir, TRACE_FILE));
  if (trace.length === 0) return undefined;
  const deltas: Array<[number, number]> = [];
  for (const t of analysis.trials) {
    const gpus = t.results.length > 0 ? t.gpuSeconds / Math.max(1e-12, secondsOf(t.results)) : 0;
    let previous = 0;
    for (const r of t.results) {
      const step = Math.max(0, r.time_total_s - previous);
      previous = r.time_total_s;
      if (step === 0 || !(gpus > 0)) continue;
      deltas.push([r.time - step, gpus], [r.time, -gpus]);
    }
  }
  deltas.sort((a, b) => a[0] - b[0]);
  const end = deltas.at(-1)?.[0] ?? 0;
  const width = end > 0 ? end / maxPoints : 1;
  // Peak busy GPUs per time bin: thousands of trials stay a readable, small SVG.
  const busy: Array<{ time: number; gpus: number }> = [];
  let level = 0;
  let bin = 0;
  let peak = 0;
  for (const [time, d] of deltas) {
    const b = Math.floor(time / width);
    if (b !== bin) {
      busy.push({ time: bin * width, gpus: round(peak) });
      bin = b;
      peak = level;
    }
    level += d;
    peak = Math.max(peak, level);
  }
  busy.push({ time: bin * width, gpus: round(peak) }, { time: end, gpus: 0 });
  const events = trace
    .filter((l) => l.type === "node_lost" || l.type === "preemption_notice" || (l.type === "failed" && l.recoverable === true))
    .map((l) => ({ time: l.t, event: l.type === "failed" ? "trial preempted" : l.type.replace("_", " "), detail: l.node ?? l.trial ?? "" }));
  return { busy, events };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
