import { describe, expect, it } from "vitest";
import { ASHAScheduler, HyperBandScheduler, MedianStoppingRule } from "../../../algorithms/schedulers/index.ts";
import { fixedConfigs, toyPbt } from "../../algorithms/schedulers/pbt-fixtures.ts";
import { CallbackList, type DecisionEvent, type ExploitEvent, type TuneCallback } from "../../../core/callbacks/index.ts";
import { pbtToyObjective } from "../../../benchmarks/objectives/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { countingObjective, countingSpace } from "../../_helpers/objectives.ts";

/** Records every hook as "hook:trial" so the order can be checked. */
class Recorder implements TuneCallback {
  readonly calls: string[] = [];
  readonly decisions: DecisionEvent[] = [];
  readonly exploits: ExploitEvent[] = [];
  onExperimentStart(): void { this.calls.push("experimentStart"); }
  onExperimentEnd(): void { this.calls.push("experimentEnd"); }
  onTrialStart(t: { id: string }): void { this.calls.push(`start:${t.id}`); }
  onTrialResult(t: { id: string }): void { this.calls.push(`result:${t.id}`); }
  onTrialComplete(t: { id: string }): void { this.calls.push(`complete:${t.id}`); }
  onDecision(e: DecisionEvent): void { this.decisions.push(e); }
  onExploit(e: ExploitEvent): void { this.exploits.push(e); }
}

const base = { objective: countingObjective, space: countingSpace, metric: "loss", mode: "min" as const, seed: 3, cluster: { gpus: 2 } };

describe("callbacks", () => {
  it("see every result, start and completion, between experiment start and end", () => {
    const rec = new Recorder();
    const run = simulate({ ...base, trials: 5, maxIterations: 4, callbacks: [rec] });
    expect(rec.calls[0]).toBe("experimentStart");
    expect(rec.calls.at(-1)).toBe("experimentEnd");
    expect(rec.calls.filter((c) => c.startsWith("result:")).length).toBe(run.summary.results);
    for (const t of run.trials) {
      expect(rec.calls.filter((c) => c === `complete:${t.id}`).length).toBe(1);
      expect(rec.calls.indexOf(`start:${t.id}`)).toBeLessThan(rec.calls.indexOf(`result:${t.id}`));
    }
    // MaximumIterationStopper ends each trial: a stop decision by the stopper.
    expect(rec.decisions.filter((d) => d.kind === "stop" && d.by === "stopper").length).toBe(5);
  });

  it("do not change the run: same trials and metrics with and without them", () => {
    const a = simulate({ ...base, trials: 8, maxIterations: 9, scheduler: new ASHAScheduler({ metric: "loss", mode: "min", maxT: 9, gracePeriod: 1, reductionFactor: 3 }) });
    const b = simulate({ ...base, trials: 8, maxIterations: 9, scheduler: new ASHAScheduler({ metric: "loss", mode: "min", maxT: 9, gracePeriod: 1, reductionFactor: 3 }), callbacks: [new Recorder()] });
    expect(b.summary.results).toBe(a.summary.results);
    expect(b.trials.map((t) => t.history.map((r) => r.metrics["loss"]))).toEqual(a.trials.map((t) => t.history.map((r) => r.metrics["loss"])));
  });

  it("onDecision carries ASHA's reason with the rung cutoff", () => {
    const rec = new Recorder();
    simulate({ ...base, trials: 12, maxIterations: 9, callbacks: [rec], scheduler: new ASHAScheduler({ metric: "loss", mode: "min", maxT: 9, gracePeriod: 1, reductionFactor: 3 }) });
    const early = rec.decisions.filter((d) => d.by === "scheduler" && d.kind === "stop" && d.reason.startsWith("below"));
    expect(early.length).toBeGreaterThan(0);
    for (const d of early) expect(d.reason).toMatch(/^below the rung-\d cutoff -?\d/);
  });

  it("HyperBand and the median stopping rule give their reasons", () => {
    const hb = new Recorder();
    simulate({ ...base, trials: 9, maxIterations: 9, callbacks: [hb], scheduler: new HyperBandScheduler({ metric: "loss", mode: "min", maxT: 9, reductionFactor: 3 }) });
    const hbStops = hb.decisions.filter((d) => d.by === "scheduler" && d.kind === "stop");
    expect(hbStops.length).toBeGreaterThan(0);
    for (const d of hbStops) expect(d.reason).toMatch(/^not in the top 1\/3 at milestone \d+ of bracket \d+$|^reached maxT 9$/);
    expect(hb.decisions.some((d) => d.kind === "pause" && /^waiting at milestone \d+ of bracket \d+ for the rest of its bracket$/.test(d.reason))).toBe(true);
    const med = new Recorder();
    // Flat curves (loss = x, one second a step): a trial stops once its x is worse than the median of the others'.
    const flat = { name: "flat", metrics: ["loss"], init: () => 0, step: (t: number, c: Record<string, unknown>) => ({ metrics: { loss: c["x"] as number }, seconds: 1, state: t + 1 }) };
    simulate({ ...base, objective: flat as never, trials: 10, maxIterations: 30, cluster: { gpus: 2 }, callbacks: [med], scheduler: new MedianStoppingRule({ metric: "loss", mode: "min", gracePeriod: 5, minSamplesRequired: 3 }) });
    const medStops = med.decisions.filter((d) => d.by === "scheduler" && d.kind === "stop");
    expect(medStops.length).toBeGreaterThan(0);
    for (const d of medStops) expect(d.reason).toMatch(/^best -?[\d.e-]+ worse than the median -?[\d.e-]+ of \d+ running means at time_total_s [\d.]+$/);
  });

  it("onExploit reports PBT's donor, recipient and both configs", () => {
    const rec = new Recorder();
    const bench = pbtToyObjective();
    simulate({
      objective: bench.objective, space: bench.space, metric: "Q", mode: "max", trials: 2, seed: 0,
      searcher: fixedConfigs([{ h0: 1, h1: 0 }, { h0: 0, h1: 1 }]),
      scheduler: toyPbt(0), cluster: { gpus: 2 }, maxIterations: 40, callbacks: [rec],
    });
    expect(rec.exploits.length).toBeGreaterThan(0);
    for (const e of rec.exploits) {
      expect(e.donor).not.toBe(e.recipient);
      expect(Object.keys(e.newConfig).sort()).toEqual(["h0", "h1"]);
      expect(e.oldConfig).not.toBe(e.newConfig);
    }
  });

  it("a callback that throws is reported once with its name and the run finishes", () => {
    const lines: string[] = [];
    const thrower: TuneCallback = { name: "flaky-logger", onTrialResult: () => { throw new Error("disk full"); } };
    const rec = new Recorder();
    const list = new CallbackList([thrower, rec], (line) => lines.push(line));
    const trial = { id: "t00000" } as never;
    for (let i = 0; i < 3; i++) list.trialResult(trial, {} as never);
    expect(lines).toEqual(["tunelab: callback flaky-logger threw in onTrialResult: disk full (further errors of this callback are not shown)\n"]);
    expect(rec.calls).toEqual(["result:t00000", "result:t00000", "result:t00000"]);
    // And inside a real run: it still completes.
    const run = simulate({ ...base, trials: 3, maxIterations: 3, callbacks: [{ name: "boom", onTrialResult: () => { throw new Error("x"); } }, rec] });
    expect(run.summary.trialStates.TERMINATED).toBe(3);
  });
});
