import { positiveNumber } from "../contracts/index.ts";
import type { Json } from "../contracts/index.ts";
import type { Stopper } from "./stopper.ts";

/**
 * Ray's TimeoutStopper on the loop's clock (virtual seconds in the simulator):
 * the whole experiment stops once `timeoutSeconds` have passed since `startTime`.
 */
export class TimeoutStopper implements Stopper {
  constructor(
    readonly timeoutSeconds: number,
    private startTime = 0,
  ) {
    positiveNumber("timeoutSeconds", timeoutSeconds);
  }
  shouldStopTrial(): boolean {
    return false;
  }
  shouldStopAll(now: number): boolean {
    return now - this.startTime >= this.timeoutSeconds;
  }
  save(): Json {
    return { startTime: this.startTime };
  }
  restore(state: Json): void {
    this.startTime = (state as { startTime: number }).startTime;
  }
}
