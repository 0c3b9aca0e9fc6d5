import { checkNumber, objectivity } from "../contracts/index.ts";
import type { Json, Mode, Result } from "../contracts/index.ts";
import type { Stopper } from "./stopper.ts";

/**
 * Stops a trial once `metric` reaches `threshold` (Ray's `stop={"metric": value}`,
 * which always means `>=`; here the direction follows `mode`, so a loss can be
 * stopped at `<= threshold`).
 */
export class MetricThresholdStopper implements Stopper {
  readonly metric: string;
  readonly mode: Mode;
  constructor(options: { metric: string; threshold: number; mode?: Mode }) {
    const o = objectivity({ metric: options.metric, mode: options.mode ?? "max" }, "MetricThresholdStopper");
    checkNumber("MetricThresholdStopper.threshold", options.threshold);
    this.metric = o.metric;
    this.mode = o.mode;
    this.threshold = options.threshold;
  }
  readonly threshold: number;
  shouldStopTrial(result: Result): boolean {
    const value = result.metrics[this.metric];
    if (value === undefined) return false;
    return this.mode === "max" ? value >= this.threshold : value <= this.threshold;
  }
  shouldStopAll(): boolean {
    return false;
  }
  save(): Json {
    return null;
  }
  restore(): void {}
}
