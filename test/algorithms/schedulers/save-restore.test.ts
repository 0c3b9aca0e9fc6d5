import { describe, expect, it } from "vitest";
import { ASHAScheduler, HyperBandForBOHB, HyperBandScheduler, MedianStoppingRule } from "../../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import type { Json, Scheduler } from "../../../core/contracts/index.ts";
import { HotSwap } from "../../../testing/index.ts";
import { MaximumIterationStopper } from "../../../core/stoppers/index.ts";
import { TuneLoop } from "../../../core/tune-loop.ts";
import { benchmarkByName } from "../../../benchmarks/objectives/index.ts";
import { resolveCluster, SimExecutor, simulate } from "../../../simulator/index.ts";


const bench = benchmarkByName("branin");
const m = { metric: "loss", mode: "min" as const };
const factories: Record<string, () => Scheduler> = {
  "asha stopping, 3 brackets": () => new ASHAScheduler({ ...m, brackets: 3, seed: 5 }),
  "asha promotion, 2 brackets": () => new ASHAScheduler({ ...m, type: "promotion", brackets: 2, seed: 5 }),
  hyperband: () => new HyperBandScheduler({ ...m, maxT: 27 }),
  "hyperband for bohb": () => new HyperBandForBOHB({ ...m, maxT: 27, reductionFactor: 2 }),
  "median rule, hardStop false": () => new MedianStoppingRule({ ...m, gracePeriod: 10, hardStop: false, minTimeSlice: 5 }),
};

function traceOf(scheduler: Scheduler): string[] {
  const lines: string[] = [];
  simulate({ objective: bench.objective, space: bench.space, ...m, trials: 60, scheduler, cluster: { gpus: 6 }, seed: 8, trace: (l) => lines.push(l) });
  return lines;
}

describe("scheduler save/restore", () => {
  for (const [name, make] of Object.entries(factories)) {
    it(`${name}: restoring from save() at every 7th call gives the same run as never restoring`, () => {
      const straight = traceOf(make());
      const swapped = new HotSwap(make, 7);
      expect(traceOf(swapped)).toEqual(straight);
      expect(swapped.swaps).toBeGreaterThan(50);
    });
  }

  it("rejects state of another version or shape, naming the scheduler", () => {
    expect(() => new ASHAScheduler(m).restore({ version: 99 })).toThrow("ASHAScheduler.restore: unknown state version 99");
    expect(() => new MedianStoppingRule(m).restore(null)).toThrow("MedianStoppingRule.restore");
    const three = new ASHAScheduler({ ...m, brackets: 3 }).save();
    expect(() => new ASHAScheduler(m).restore(three)).toThrow("ASHAScheduler.restore: state has 3 brackets");
  });

  it("an experiment saved mid-run with paused ASHA-promotion trials resumes and finishes them", () => {
    const make = () => new ASHAScheduler({ ...m, type: "promotion", seed: 1 });
    const executor = new SimExecutor({ objective: bench.objective, cluster: resolveCluster({ gpus: 4 }), seed: 3 });
    const loop = new TuneLoop({
      searcher: new RandomSearch(bench.space, { ...m, seed: 3 }),
      scheduler: make(),
      executor,
      ...m,
      trials: 40,
      resources: { cpu: 1, gpu: 1 },
      stoppers: [new MaximumIterationStopper(100)],
    });
    loop.begin();
    executor.run(() => loop.finished || loop.counters.results >= 30);
    expect(loop.trials.some((t) => t.status === "PAUSED")).toBe(true);
    const saved = JSON.parse(JSON.stringify(loop.save())) as Json;
    const scheduler = make();
    const resumed = simulate({
      objective: bench.objective,
      space: bench.space,
      ...m,
      trials: 40,
      scheduler,
      searcher: new RandomSearch(bench.space, { ...m, seed: 3 }),
      cluster: { gpus: 4 },
      seed: 3,
      resumeFrom: saved,
    });
    expect(resumed.trials).toHaveLength(40);
    expect(resumed.trials.every((t) => t.status === "TERMINATED")).toBe(true);
    for (const t of resumed.trials) expect(t.history.map((r) => r.iteration)).toEqual(t.history.map((_, i) => i + 1));
    // What the scheduler knew before the save is still there.
    const before = loop.trials.filter((t) => (t.lastResult?.iteration ?? 0) >= 1).length;
    expect(scheduler.rungs()[0]?.[0]?.entries.length).toBeGreaterThanOrEqual(before);
  });
});
