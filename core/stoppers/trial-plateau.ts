import { integerAtLeast, nonNegativeNumber, objectivity, OptionError } from "../contracts/index.ts";
import type { Json, Mode, Result } from "../contracts/index.ts";
import { populationStd, type Stopper } from "./stopper.ts";

export interface TrialPlateauOptions {
  metric: string;
  /** @defaultValue 0.01 */
  std?: number;
  /** @defaultValue 4 */
  numResults?: number;
  /** @defaultValue 4 */
  gracePeriod?: number;
  /** Stop only once the metric is at least this good. */
  metricThreshold?: number;
  /** Needed with metricThreshold. */
  mode?: Mode;
}

/**
 * Ray's TrialPlateauStopper: after `gracePeriod` results, a trial stops when the
 * population std of its last `numResults` values is below `std` (and, with
 * `metricThreshold`, the latest value is at least that good).
 */
export class TrialPlateauStopper implements Stopper {
  readonly metric: string;
  readonly std: number;
  readonly numResults: number;
  readonly gracePeriod: number;
  readonly metricThreshold: number | undefined;
  readonly mode: Mode | undefined;
  private windows = new Map<string, number[]>();
  private counts = new Map<string, number>();

  constructor(options: TrialPlateauOptions) {
    this.metric = objectivity({ metric: options.metric, mode: options.mode ?? "min" }, "TrialPlateauStopper").metric;
    this.std = options.std ?? 0.01;
    this.numResults = options.numResults ?? 4;
    this.gracePeriod = options.gracePeriod ?? 4;
    this.metricThreshold = options.metricThreshold;
    this.mode = options.mode;
    nonNegativeNumber("TrialPlateauStopper.std", this.std);
    integerAtLeast("TrialPlateauStopper.numResults", this.numResults, 1);
    integerAtLeast("TrialPlateauStopper.gracePeriod", this.gracePeriod, 0);
    if (this.metricThreshold !== undefined && this.mode === undefined) {
      throw new OptionError("TrialPlateauStopper.mode", "is required when metricThreshold is set");
    }
  }

  shouldStopTrial(result: Result): boolean {
    const value = result.metrics[this.metric];
    if (value === undefined) return false;
    let window = this.windows.get(result.trialId);
    if (!window) this.windows.set(result.trialId, (window = []));
    window.push(value);
    if (window.length > this.numResults) window.shift();
    const count = (this.counts.get(result.trialId) ?? 0) + 1;
    this.counts.set(result.trialId, count);
    if (count < this.gracePeriod || window.length < this.numResults) return false;
    if (this.metricThreshold !== undefined) {
      if (this.mode === "min" && value > this.metricThreshold) return false;
      if (this.mode === "max" && value < this.metricThreshold) return false;
    }
    return populationStd(window) < this.std;
  }

  shouldStopAll(): boolean {
    return false;
  }

  save(): Json {
    return { windows: [...this.windows], counts: [...this.counts] };
  }

  restore(state: Json): void {
    const s = state as { windows: [string, number[]][]; counts: [string, number][] };
    this.windows = new Map(s.windows.map(([k, v]) => [k, [...v]]));
    this.counts = new Map(s.counts);
  }
}
