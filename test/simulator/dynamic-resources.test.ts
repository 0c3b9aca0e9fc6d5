/**
 * Dynamic resources in the simulator (issue 15, section 3): the
 * ResourceChangingScheduler never puts a node over capacity, changes a trial's
 * resources only between a checkpoint and its restore, and changes how long a
 * trial takes but never what it reports.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ASHAScheduler,
  DistributeResources,
  DistributeResourcesToTopJob,
  FIFOScheduler,
  RandomSearch,
  ResourceChangingScheduler,
  type Scheduler,
} from "../../index.ts";
import { benchmarkByName } from "../../benchmarks/objectives/index.ts";
import type { Resources, TrialView } from "../../core/contracts/index.ts";
import { speedupFor } from "../../core/resource-scaling.ts";
import { simulate, type SimulateOptions } from "../../simulator/index.ts";

const bench = benchmarkByName("hartmann6");

function options(scheduler: Scheduler, extra: Partial<SimulateOptions> = {}): SimulateOptions {
  return {
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: 6,
    seed: 7,
    maxIterations: 30,
    searcher: new RandomSearch(bench.space, { metric: bench.metric, mode: bench.mode, seed: 7 }),
    scheduler,
    resources: { cpu: 1, gpu: 1 },
    cluster: { nodeTypes: [{ name: "g8", count: 1, gpus: 8, cpus: 32 }] },
    checkInvariants: true,
    ...extra,
  };
}

/** Each trial's reported metrics by iteration: what the searcher and schedulers see. */
function reported(trials: readonly TrialView[]): unknown[] {
  return trials.map((t) => t.history.map((r) => [r.iteration, r.metrics]));
}

interface TraceRecord {
  t: number;
  type: string;
  trial?: string;
  iteration?: number;
  restore?: number | null;
  gpu?: number;
}

describe("ResourceChangingScheduler in the simulator", () => {
  it("resizes trials, yet every trial reports exactly what it reports with fixed resources; only time changes", () => {
    const lines: string[] = [];
    const dynamic = simulate(options(new ResourceChangingScheduler({ baseScheduler: new FIFOScheduler() }), { trace: (l) => lines.push(l) }));
    const fixed = simulate(options(new FIFOScheduler()));
    const resized = lines.map((l) => JSON.parse(l) as TraceRecord).filter((r) => r.type === "resources");
    expect(resized.length).toBeGreaterThan(0);
    expect(reported(dynamic.trials)).toEqual(reported(fixed.trials));
    // Extra GPUs (Amdahl, p = 0.9) shorten some trials' training time.
    const timeOf = (trials: readonly TrialView[]) => trials.map((t) => t.lastResult?.timeTotal ?? 0);
    const faster = timeOf(dynamic.trials).filter((t, i) => t < (timeOf(fixed.trials)[i] as number) - 1e-9);
    expect(faster.length).toBeGreaterThan(0);
  });

  it("a trial on 4 GPUs reports the same history as on 1, in 1/speed-up of the time", () => {
    const one = simulate(options(new FIFOScheduler(), { trials: 2 }));
    const four = simulate(options(new FIFOScheduler(), { trials: 2, resources: { cpu: 1, gpu: 4 } }));
    expect(reported(four.trials)).toEqual(reported(one.trials));
    const speedup = speedupFor({ kind: "amdahl", parallelFraction: 0.9 }, 4);
    for (let i = 0; i < one.trials.length; i++) {
      const t1 = (one.trials[i] as TrialView).lastResult?.timeTotal as number;
      const t4 = (four.trials[i] as TrialView).lastResult?.timeTotal as number;
      expect(t4).toBeCloseTo(t1 / speedup, 6);
    }
  });

  it("changes resources only between a checkpoint and the restore of that checkpoint", () => {
    const lines: string[] = [];
    simulate(options(new ResourceChangingScheduler({ baseScheduler: new ASHAScheduler({ metric: "loss", mode: "min", maxT: 30, gracePeriod: 3 }) }), { trials: 10, trace: (l) => lines.push(l) }));
    const records = lines.map((l) => JSON.parse(l) as TraceRecord);
    let checked = 0;
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as TraceRecord;
      if (r.type !== "resources") continue;
      const before = records.slice(0, i).filter((x) => x.trial === r.trial);
      const pause = before.findLast((x) => x.type === "pause");
      const lastResult = before.findLast((x) => x.type === "result");
      const lastCheckpoint = before.findLast((x) => x.type === "checkpoint");
      // Paused at its last result, with a checkpoint of exactly that iteration.
      expect(pause?.iteration).toBe(lastResult?.iteration);
      expect(lastCheckpoint?.iteration).toBe(lastResult?.iteration);
      // Its next start restores that checkpoint, and nothing of it ran in between.
      const after = records.slice(i + 1).filter((x) => x.trial === r.trial);
      const next = after.find((x) => x.type === "start" || x.type === "result");
      expect(next?.type).toBe("start");
      expect(next?.restore).toBe(lastCheckpoint?.iteration);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("never puts a node over capacity, with mixed nodes, fractional GPUs and preemptions (property)", () => {
    let resizes = 0;
    const resources = fc.constantFrom<Resources>({ cpu: 1, gpu: 1 }, { cpu: 2, gpu: 0.5 }, { cpu: 1, gpu: 0 }, { cpu: 4, gpu: 2 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        resources,
        fc.constantFrom("even", "top"),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(0, 2),
        fc.constantFrom(0, 1),
        (seed, perTrial, policy, increaseByTimes, preemptionRate, maxT) => {
          const allocation = policy === "even" ? new DistributeResources() : new DistributeResourcesToTopJob({ increaseBy: { gpu: 1, cpu: 1 }, increaseByTimes });
          const base = maxT === 1 ? new ASHAScheduler({ metric: "loss", mode: "min", maxT: 20, gracePeriod: 2 }) : new FIFOScheduler();
          const run = simulate(
            options(new ResourceChangingScheduler({ baseScheduler: base, resourcesAllocationFunction: allocation, metric: "loss", mode: "min" }), {
              seed,
              trials: 8,
              maxIterations: 20,
              resources: perTrial,
              searcher: new RandomSearch(bench.space, { metric: bench.metric, mode: bench.mode, seed }),
              cluster: {
                nodeTypes: [
                  { name: "big", count: 1, gpus: 4, cpus: 16, spot: true },
                  { name: "small", count: 2, gpus: 2, cpus: 8 },
                ],
                preemptionRate,
              },
              checkpointFrequency: 5,
              trace: (line) => {
                if (line.includes('"type":"resources"')) resizes++;
              },
            }),
          );
          // checkInvariants throws inside simulate() on any over-full node; every trial ended.
          expect(run.trials.every((t) => t.status === "TERMINATED" || t.status === "ERROR")).toBe(true);
        },
      ),
      { numRuns: 25, seed: 15 },
    );
    // The property means something only if trials were in fact resized.
    expect(resizes).toBeGreaterThan(25);
  });
});
