import { integerAtLeast, nonNegativeNumber, objectivity } from "../contracts/index.ts";
import type { Json, Mode, Result } from "../contracts/index.ts";
import { populationStd, type Stopper } from "./stopper.ts";

export interface ExperimentPlateauOptions {
  metric: string;
  /** @defaultValue 0.001 */
  std?: number;
  /** @defaultValue 10 */
  top?: number;
  /** @defaultValue "min" */
  mode?: Mode;
  /** @defaultValue 0 */
  patience?: number;
}

/**
 * Ray's ExperimentPlateauStopper: keeps the `top` best values seen; once it has
 * `top` of them and their population std is <= `std` for more than `patience`
 * consecutive results, the whole experiment stops.
 */
export class ExperimentPlateauStopper implements Stopper {
  readonly metric: string;
  readonly mode: Mode;
  readonly std: number;
  readonly top: number;
  readonly patience: number;
  private topValues: number[] = [];
  private plateauedResults = 0;

  constructor(options: ExperimentPlateauOptions) {
    const o = objectivity({ metric: options.metric, mode: options.mode ?? "min" }, "ExperimentPlateauStopper");
    this.metric = o.metric;
    this.mode = o.mode;
    this.std = options.std ?? 0.001;
    this.top = options.top ?? 10;
    this.patience = options.patience ?? 0;
    nonNegativeNumber("ExperimentPlateauStopper.std", this.std);
    integerAtLeast("ExperimentPlateauStopper.top", this.top, 2);
    integerAtLeast("ExperimentPlateauStopper.patience", this.patience, 0);
  }

  shouldStopTrial(result: Result): boolean {
    const value = result.metrics[this.metric];
    if (value === undefined) return false;
    this.topValues.push(value);
    this.topValues.sort((a, b) => a - b);
    if (this.topValues.length > this.top) {
      // Ray keeps the `top` smallest for min, the `top` largest for max.
      if (this.mode === "min") this.topValues.length = this.top;
      else this.topValues.shift();
    }
    this.plateauedResults = this.hasPlateaued() ? this.plateauedResults + 1 : 0;
    return this.shouldStopAll();
  }

  private hasPlateaued(): boolean {
    return this.topValues.length === this.top && populationStd(this.topValues) <= this.std;
  }

  shouldStopAll(): boolean {
    return this.hasPlateaued() && this.plateauedResults >= this.patience;
  }

  save(): Json {
    return { topValues: [...this.topValues], plateauedResults: this.plateauedResults };
  }

  restore(state: Json): void {
    const s = state as { topValues: number[]; plateauedResults: number };
    this.topValues = [...s.topValues];
    this.plateauedResults = s.plateauedResults;
  }
}
