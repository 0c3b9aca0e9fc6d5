import { integerAtLeast } from "../contracts/index.ts";
import type { Json, Result } from "../contracts/index.ts";
import type { Stopper } from "./stopper.ts";

/** Ray's MaximumIterationStopper: a trial stops once `training_iteration >= maxIter`. */
export class MaximumIterationStopper implements Stopper {
  constructor(readonly maxIter: number) {
    integerAtLeast("maxIter", maxIter, 1);
  }
  shouldStopTrial(result: Result): boolean {
    return result.iteration >= this.maxIter;
  }
  shouldStopAll(): boolean {
    return false;
  }
  save(): Json {
    return null;
  }
  restore(): void {}
}
