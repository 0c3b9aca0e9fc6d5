// The README's "Test your own scheduler" example: a custom scheduler and the one call that checks it.
// In your project: import { checkScheduler } from "tunelab/testing"; and the contracts from "tunelab".
import { checkScheduler } from "../testing/index.ts";
import type { Decision, Json, Mode, Result, Scheduler, TrialView } from "../index.ts";

/** Stops a trial at a checkpoint iteration when it is worse than the best seen there so far. */
class BestSoFarStopper implements Scheduler {
  private best: Record<string, number> = {};
  constructor(private readonly o: { metric: string; mode: Mode; every: number }) {}
  setContext(): void {}
  onTrialAdd(): void {}
  onTrialResult(_trial: TrialView, r: Result): Decision {
    if (r.iteration % this.o.every !== 0) return { kind: "continue" };
    const v = (this.o.mode === "min" ? 1 : -1) * (r.metrics[this.o.metric] as number);
    const best = this.best[r.iteration];
    if (best !== undefined && v > best) return { kind: "stop" };
    this.best[r.iteration] = v;
    return { kind: "continue" };
  }
  onTrialComplete(): void {}
  onTrialError(): void {}
  chooseTrialToRun(candidates: readonly TrialView[]): TrialView | undefined {
    return candidates[0];
  }
  save(): Json {
    return { best: this.best };
  }
  restore(state: Json): void {
    this.best = { ...(state as { best: Record<string, number> }).best };
  }
}

// Throws with a shrunk counterexample and the seed to replay it if any property fails.
const report = checkScheduler(({ metric, mode }) => new BestSoFarStopper({ metric, mode, every: 2 }));
console.log(`checked ${report.cases} cases (${report.loopRuns} runs) in ${Math.round(report.elapsedMs)} ms: ${report.properties.join(", ")}`);
