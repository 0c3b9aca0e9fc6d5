/**
 * Ray Tune bugs of the "experiment carries on after a fault" kind, as
 * regression tests in the simulator (issue 10, section 3.5). Each test names
 * the Ray issue and what went wrong there.
 */
import { describe, expect, it } from "vitest";
import {
  ASHAScheduler,
  FIFOScheduler,
  HyperBandScheduler,
  PB2,
  PopulationBasedTraining,
  boundsFromSpace,
  mutationsFromSpace,
} from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { benchmarkByName, rlReturnObjective } from "../../benchmarks/objectives/index.ts";
import type { CheckpointRef, Json, Objective, Scheduler } from "../../core/contracts/index.ts";
import type { Space } from "../../core/space/index.ts";
import { MaximumIterationStopper } from "../../core/stoppers/index.ts";
import { EventTrace } from "../../core/trace.ts";
import type { Trial } from "../../core/trial.ts";
import { TuneLoop } from "../../core/tune-loop.ts";
import { resolveCluster, SimExecutor, type SimCheckpoint } from "../../simulator/index.ts";

interface Bench {
  objective: Objective;
  space: Space;
  metric: string;
  mode: "min" | "max";
}
const hartmann = benchmarkByName("hartmann6") as Bench;
const rl = { ...rlReturnObjective(), mode: "max" } as Bench;

interface Run {
  bench: Bench;
  scheduler: () => Scheduler;
  trials: number;
  maxIterations: number;
  seed: number;
  checkpointFrequency?: number;
  keepCheckpoints?: number;
  /** Spot preemptions per node-hour (0: none). */
  preemptionRate?: number;
}

function build(r: Run, onLine: (line: string) => void = () => {}) {
  const lines: string[] = [];
  const trace = new EventTrace((line) => {
    lines.push(line);
    onLine(line);
  });
  const spot = (r.preemptionRate ?? 0) > 0;
  const cluster = resolveCluster({
    nodeTypes: [
      { name: "spot", count: 3, gpus: 2, cpus: 8, spot },
      { name: "steady", count: 1, gpus: 1, cpus: 4 },
    ],
    preemptionRate: r.preemptionRate ?? 0,
    replacementDelaySeconds: 15,
  });
  const executor = new SimExecutor({ objective: r.bench.objective, cluster, seed: r.seed, trace, checkInvariants: true });
  const loop = new TuneLoop({
    searcher: new RandomSearch(r.bench.space, { metric: r.bench.metric, mode: r.bench.mode, seed: r.seed }),
    scheduler: r.scheduler(),
    executor,
    metric: r.bench.metric,
    mode: r.bench.mode,
    trials: r.trials,
    resources: { cpu: 1, gpu: 1 },
    stoppers: [new MaximumIterationStopper(r.maxIterations)],
    checkpointFrequency: r.checkpointFrequency ?? 0,
    maxFailures: -1,
    ...(r.keepCheckpoints !== undefined ? { keepCheckpoints: r.keepCheckpoints } : {}),
    trace,
  });
  return { loop, executor, lines };
}

const types = (lines: readonly string[]) => lines.map((l) => (JSON.parse(l) as { type: string }).type);

describe("Ray #30838: scheduler state after restore", () => {
  // In Ray, a restored experiment rebuilt ASHA / HyperBand from scratch: the rungs
  // (every trial's recorded metric at each milestone) and the brackets were lost, so
  // the resumed run promoted and stopped trials it should not have.
  const asha = (seed: number) => () =>
    new ASHAScheduler({ metric: hartmann.metric, mode: hartmann.mode, maxT: 27, gracePeriod: 1, reductionFactor: 3, brackets: 2, type: "promotion", seed });
  const hyperband = () => () => new HyperBandScheduler({ metric: hartmann.metric, mode: hartmann.mode, maxT: 27, reductionFactor: 3 });

  for (const [name, scheduler] of [["ASHA (promotion)", asha(5)], ["HyperBand", hyperband()]] as const) {
    it(`${name}: rungs and brackets are equal after a restore, and the next decisions are the same`, () => {
      const r: Run = { bench: hartmann, scheduler, trials: 16, maxIterations: 27, seed: 5, checkpointFrequency: 1 };
      const straight = build(r);
      straight.loop.begin();
      straight.executor.run(() => straight.loop.finished);

      const cut = build(r);
      let saved: Json | undefined;
      let linesAtSave = 0;
      let schedulerAtSave = "";
      cut.loop.begin();
      cut.executor.run(() => {
        if (cut.executor.stats().events < straight.executor.stats().events / 2) return false;
        saved = JSON.parse(JSON.stringify(cut.loop.save())) as Json;
        schedulerAtSave = JSON.stringify((saved as { scheduler: Json }).scheduler);
        linesAtSave = cut.lines.length;
        return true;
      });
      // The scheduler had recorded results in its rungs by then: there is state to lose.
      expect(types(cut.lines.slice(0, linesAtSave))).toContain("pause");

      for (const exact of [true, false]) {
        const resumed = build(r);
        const built = resumed.lines.length;
        const state = exact ? (saved as Json) : ({ ...(saved as object), executor: null } as Json);
        resumed.loop.restore(state);
        const restoredScheduler = JSON.parse(JSON.stringify(resumed.loop.save())) as { scheduler: Json };
        expect(JSON.stringify(restoredScheduler.scheduler), "rungs and brackets after the restore").toBe(schedulerAtSave);
        resumed.loop.begin();
        resumed.executor.run(() => resumed.loop.finished);
        const decisions = (lines: readonly string[]) => lines.filter((l) => /"type":"(pause|stop|start)"/.test(l)).map((l) => l.replace(/"seq":\d+,"t":[\d.]+,/, ""));
        if (exact) {
          // Same state, same decisions: the rest of the run is the uninterrupted one.
          expect(resumed.lines.slice(built)).toEqual(straight.lines.slice(linesAtSave));
        } else {
          // After a driver crash the running trials restart (other timings), yet no trial is
          // promoted past, or stopped below, what the saved rungs allow: every trial ends, none
          // reports past maxT, and the decisions before the save are not made twice.
          expect(resumed.loop.trials.every((t) => t.status === "TERMINATED")).toBe(true);
          expect(resumed.loop.trials.every((t) => (t as Trial).iteration <= 27)).toBe(true);
          expect(decisions(resumed.lines.slice(built)).length).toBeGreaterThan(0);
        }
        // Both ways, the restored scheduler knows the trials the original knew.
        expect(resumed.loop.trials.map((t) => t.id)).toEqual(straight.loop.trials.map((t) => t.id));
      }
    });
  }
});

describe("Ray #27170 and #28509: a PBT exploit takes exactly the donor's checkpoint, never a missing or another trial's one", () => {
  // In Ray, PBT could restore a checkpoint that had already been deleted (#27170: "checkpoint
  // not found", or an exploit that silently did nothing), or the checkpoint of the wrong trial /
  // the wrong iteration (#28509), because the donor's checkpoint was looked up after it changed.
  const cases: Array<[string, Run]> = [
    [
      "async PBT, spot nodes, keepCheckpoints 1",
      {
        bench: rl,
        scheduler: () => new PopulationBasedTraining({ metric: rl.metric, mode: "max", seed: 2, timeAttr: "training_iteration", perturbationInterval: 4, hyperparamMutations: mutationsFromSpace(rl.space) }),
        trials: 8,
        maxIterations: 30,
        seed: 2,
        keepCheckpoints: 1,
        preemptionRate: 10,
      },
    ],
    [
      "sync PBT, spot nodes, keepCheckpoints 1",
      {
        bench: rl,
        scheduler: () => new PopulationBasedTraining({ metric: rl.metric, mode: "max", seed: 3, synch: true, timeAttr: "training_iteration", perturbationInterval: 4, hyperparamMutations: mutationsFromSpace(rl.space) }),
        trials: 8,
        maxIterations: 30,
        seed: 3,
        keepCheckpoints: 1,
        preemptionRate: 10,
      },
    ],
    [
      "PB2, keepCheckpoints 2",
      {
        bench: rl,
        scheduler: () =>
          new PB2({
            metric: rl.metric,
            mode: "max",
            seed: 4,
            timeAttr: "training_iteration",
            perturbationInterval: 4,
            hyperparamBounds: boundsFromSpace(rl.space),
            model: { fitEvaluations: 10, acquisitionStarts: 2, acquisitionEvaluations: 20 },
          }),
        trials: 6,
        maxIterations: 20,
        seed: 4,
        keepCheckpoints: 2,
      },
    ],
  ];

  for (const [name, r] of cases) {
    it(name, () => {
      /** Per recipient: the checkpoint it was handed at its exploit. */
      const handed = new Map<string, CheckpointRef>();
      let loopRef: TuneLoop | undefined;
      const problems: string[] = [];
      let exploits = 0;
      const byId = (id: string) => (loopRef as TuneLoop).trials.find((t) => t.id === id) as Trial;
      const run = build(r, (line) => {
        const e = JSON.parse(line) as { type: string; trial?: string; from?: string; iteration?: number };
        if (e.type !== "exploit" || !loopRef) return;
        exploits++;
        const donor = byId(e.from as string);
        const checkpoint = donor.latestCheckpoint;
        if (!checkpoint) {
          problems.push(`${e.trial} exploits ${e.from}, which has no checkpoint`);
          return;
        }
        if (checkpoint.iteration !== e.iteration) problems.push(`exploit line says iteration ${e.iteration}, the donor's checkpoint is at ${checkpoint.iteration}`);
        if (checkpoint.trialId === donor.id) {
          // The donor's own save: taken right after it reported that very iteration.
          const reported = donor.history[donor.historyAtCheckpoint - 1];
          if (reported?.iteration !== checkpoint.iteration || reported.timeTotal !== checkpoint.timeTotal) {
            problems.push(`${e.from}'s checkpoint at ${checkpoint.iteration} is not the one taken at its reported iteration ${reported?.iteration}`);
          }
        }
        handed.set(e.trial as string, checkpoint);
      });
      loopRef = run.loop;
      const check = (trialId: string, ref: CheckpointRef) => {
        if (ref.trialId === trialId && !handed.has(trialId)) return;
        const expected = handed.get(trialId);
        handed.delete(trialId);
        const payload = ref.handle as SimCheckpoint;
        if (!expected) problems.push(`${trialId} restores ${ref.trialId}'s checkpoint without an exploit`);
        else if (expected.seq !== ref.seq) problems.push(`${trialId} restores checkpoint #${ref.seq}, was handed #${expected.seq}`);
        if (payload.discarded) problems.push(`${trialId} restores a discarded checkpoint`);
        if (payload.iteration !== ref.iteration) problems.push(`${trialId}: the checkpoint's weights are from iteration ${payload.iteration}, not ${ref.iteration}`);
      };
      const restore = run.executor.restore.bind(run.executor);
      run.executor.restore = (trialId, ref, config) => {
        check(trialId, ref);
        restore(trialId, ref, config);
      };
      const start = run.executor.start.bind(run.executor);
      run.executor.start = (trial, ref) => {
        if (ref && handed.has(trial.id)) check(trial.id, ref);
        start(trial, ref);
      };
      run.loop.begin();
      run.executor.run(() => run.loop.finished);
      expect(problems).toEqual([]);
      expect(exploits, "the run exploits").toBeGreaterThan(2);
      if (r.keepCheckpoints === 1) expect(types(run.lines), "retention discards checkpoints meanwhile").toContain("checkpoint_discarded");
      if (r.preemptionRate) expect(types(run.lines), "nodes are lost meanwhile").toContain("node_lost");
      expect(run.loop.trials.every((t) => t.status === "TERMINATED")).toBe(true);
    });
  }
});

describe("Ray #30008: no trial stuck RUNNING after its node is lost (simulator)", () => {
  // In Ray, a trial whose node was preempted could stay RUNNING for ever: the driver
  // never learned its actor was gone, so it was neither restarted nor ended.
  const schedulers: Array<[string, Bench, () => Scheduler]> = [
    ["FIFO", hartmann, () => new FIFOScheduler()],
    ["ASHA", hartmann, () => new ASHAScheduler({ metric: hartmann.metric, mode: hartmann.mode, maxT: 20, gracePeriod: 2, reductionFactor: 2, seed: 1 })],
    ["async PBT", rl, () => new PopulationBasedTraining({ metric: rl.metric, mode: "max", seed: 1, timeAttr: "training_iteration", perturbationInterval: 4, hyperparamMutations: mutationsFromSpace(rl.space) })],
  ];
  for (const [name, bench, scheduler] of schedulers) {
    it(`${name}: after every node loss each victim restarts or ends; at the end none is RUNNING and no node holds a trial`, () => {
      const r: Run = { bench, scheduler, trials: 10, maxIterations: 20, seed: 7, checkpointFrequency: 3, preemptionRate: bench === rl ? 12 : 120 };
      const run = build(r);
      run.loop.begin();
      const problems: string[] = [];
      run.executor.run(() => {
        // Between events: the loop's RUNNING trials are exactly those the cluster holds, and dead nodes hold none.
        const nodes = run.executor.nodeSnapshot();
        const used = nodes.reduce((sum, n) => sum + n.usedGpu, 0);
        const running = run.loop.trials.filter((t) => t.status === "RUNNING").length;
        if (used !== running) problems.push(`t=${run.executor.now()}: ${running} trials RUNNING, ${used} GPUs held`);
        for (const n of nodes) if (!n.alive && n.usedGpu > 0) problems.push(`dead node ${n.id} holds ${n.usedGpu} GPUs`);
        return run.loop.finished;
      });
      expect(problems).toEqual([]);
      const events = run.lines.map((l) => JSON.parse(l) as { type: string; trial?: string; recoverable?: boolean });
      const preempted = events.filter((e) => e.type === "failed" && e.recoverable);
      expect(preempted.length, "nodes with trials on them were lost").toBeGreaterThan(0);
      // Every preempted trial was started again afterwards, or ended.
      events.forEach((e, i) => {
        if (e.type !== "failed" || !e.recoverable) return;
        const later = events.slice(i + 1).find((x) => x.trial === e.trial && (x.type === "start" || x.type === "stop"));
        const trial = run.loop.trials.find((t) => t.id === e.trial);
        if (!later && trial?.status !== "TERMINATED") problems.push(`${e.trial} was preempted and never restarted or ended`);
      });
      expect(problems).toEqual([]);
      expect(run.loop.trials.filter((t) => t.status !== "TERMINATED").map((t) => `${t.id} ${t.status}`)).toEqual([]);
      expect(run.executor.nodeSnapshot().every((n) => n.usedGpu === 0 && n.usedCpu === 0)).toBe(true);
    });
  }
});
