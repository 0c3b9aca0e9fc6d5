import { OptionError } from "../../core/contracts/index.ts";
import type { Config, Mode } from "../../core/contracts/index.ts";
import type { ResultRecord } from "../../core/experiment-dir/index.ts";
import { loadExperiment } from "../analysis/index.ts";
import { configKey } from "./config-key.ts";

/** One configuration's recorded learning curve: what its trial reported, step by step. */
export interface RecordedCurve {
  /** The trial whose results these are. */
  readonly trialId: string;
  readonly config: Config;
  /** metrics[i] is what iteration i + 1 reported. */
  readonly metrics: readonly Readonly<Record<string, number>>[];
  /** seconds[i] is the duration of iteration i + 1 (increments of time_total_s). */
  readonly seconds: readonly number[];
  /** The trainable itself ended at the last iteration (`done`), rather than being stopped. */
  readonly finished: boolean;
}

export interface Recording {
  readonly dir: string;
  readonly metric: string;
  readonly mode: Mode;
  /** "real" for tune(), "simulation" for simulate(). */
  readonly kind: "real" | "simulation";
  /** Seconds from the start to the end of the recorded experiment (wall seconds for a real one); undefined when it did not end normally. */
  readonly endTime: number | undefined;
  /** Curves in trial order, one per distinct configuration. */
  readonly curves: readonly RecordedCurve[];
}

/**
 * Reads an experiment directory's curves through `loadExperiment` (so it reads
 * whatever the layout writes, torn last lines and all). Per trial:
 * - an iteration reported more than once (re-done after a failure and restore)
 *   counts once, with its last report: the one the run went on from;
 * - only the stretch run under the trial's first config counts, from iteration 1
 *   without gaps: after a PBT exploit the trial continues another trial's weights
 *   under a new config, which is not this config's curve;
 * - several trials with the same config (repeats): the longest curve is kept
 *   (ties: the earlier trial).
 */
export function readRecording(dir: string): Recording {
  const analysis = loadExperiment(dir);
  const meta = analysis.meta;
  if (!meta) throw new OptionError("experimentDir", `"${dir}" has no experiment.json: it was not written by tune() or simulate({ storagePath })`);
  const byKey = new Map<string, RecordedCurve>();
  for (const trial of analysis.trials) {
    const curve = curveOf(trial.id, trial.initialConfig, trial.results);
    if (curve.metrics.length === 0) continue;
    const key = configKey(curve.config);
    const held = byKey.get(key);
    if (!held || curve.metrics.length > held.metrics.length) byKey.set(key, curve);
  }
  if (byKey.size === 0) throw new OptionError("experimentDir", `"${dir}" holds no trial with results`);
  return {
    dir,
    metric: meta.metric,
    mode: meta.mode,
    kind: meta.kind,
    endTime: meta.endTime,
    curves: [...byKey.values()].sort((a, b) => (a.trialId < b.trialId ? -1 : 1)),
  };
}

function curveOf(trialId: string, config: Config, results: readonly ResultRecord[]): RecordedCurve {
  const key = configKey(config);
  // Last report per iteration wins (a re-done iteration replaces the lost one).
  const byIteration = new Map<number, ResultRecord>();
  for (const r of results) byIteration.set(r.training_iteration, r);
  const metrics: Record<string, number>[] = [];
  const seconds: number[] = [];
  let previousTotal = 0;
  let finished = false;
  for (let iteration = 1; ; iteration++) {
    const r = byIteration.get(iteration);
    if (!r || configKey(r.config) !== key) break;
    metrics.push(r.metrics);
    seconds.push(Math.max(0, r.time_total_s - previousTotal));
    previousTotal = r.time_total_s;
    if (r.done) {
      finished = true;
      break;
    }
  }
  return { trialId, config, metrics, seconds, finished };
}
