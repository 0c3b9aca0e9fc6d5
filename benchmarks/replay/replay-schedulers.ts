/**
 * Replays a recorded real experiment under several schedulers in the simulator
 * (issue 11 section 4): what ASHA, HyperBand, median stopping and PBT would have
 * cost and found on the recorded learning curves, without training.
 *
 *   npx tsx benchmarks/replay/replay-schedulers.ts DIR                 # 10 seeds, 4 CPUs
 *   npx tsx benchmarks/replay/replay-schedulers.ts DIR --seeds 3 --cpus 8
 *   npx tsx benchmarks/replay/replay-schedulers.ts DIR --cpus 2 --seconds-metric step_cpu_seconds   # cost = recorded CPU time
 *
 * DIR: an experiment directory written by tune() (e.g. by record-cartpole.ts, or
 * /work/recordings/fashion-mnist). The recording should give every config its
 * whole curve (random + FIFO): a scheduler may then run any trial as far as it was
 * recorded. Per seed, the recorded configs are replayed in a seeded order
 * (RecordedConfigSearcher) on a cluster of `--cpus` slots of the recorded trials'
 * resources, with:
 * - FIFO: every config to its end: the reference, and a check (its best is the
 *   recording's best);
 * - ASHA (grace 1, factor 3, maxT the longest curve), HyperBand (factor 3, maxT the
 *   longest curve), median stopping (grace a tenth of the longest curve, in iterations);
 * - PBT: the recorded configs as the population, a perturbation every sixth of the
 *   longest curve, each numeric hyperparameter mutated over the list of its recorded
 *   values (shift to a neighbour, or resample); explore makes combinations never
 *   recorded, answered by the nearest recorded config (range-normalised Euclidean
 *   distance, recordedObjective's default without a space).
 * Reported: median over seeds of CPU- and GPU-seconds held (replayed step seconds
 * times the trial's CPUs / GPUs: resource time, as a cluster bills it; on a loaded
 * machine the recorded step seconds are wall time, more than the process's CPU time), of the best metric (last reported value of the best
 * trial), of the simulated seconds to finish, and of the replay's own wall time,
 * against the recorded experiment's wall time.
 */
import { readFileSync } from "node:fs";
import { ASHAScheduler, FIFOScheduler, HyperBandScheduler, MedianStoppingRule, PopulationBasedTraining } from "../../algorithms/schedulers/index.ts";
import { OptionError } from "../../core/contracts/index.ts";
import type { Config, Objective, Scheduler } from "../../core/contracts/index.ts";
import { PARAMS_FILE, trialFile, type TrialParams } from "../../core/experiment-dir/index.ts";
import { loadExperiment, recordedObjective, RecordedConfigSearcher } from "../../results/index.ts";
import { simulate } from "../../simulator/index.ts";
import { fixed as fmt, formatTable, median } from "../stats/index.ts";
import { numberFlag } from "../script-flags.ts";
import { parseArgs } from "node:util";

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { seeds: { type: "string" }, cpus: { type: "string" }, "seconds-metric": { type: "string" } },
});
const dir = positionals[0];
if (dir === undefined) throw new OptionError("DIR", "give the recorded experiment directory as the first argument");
const SEEDS = numberFlag("seeds", flags.seeds, 10, { integer: true, min: 1 });
const CPUS = numberFlag("cpus", flags.cpus, 4, { integer: true, min: 1 });
/**
 * --seconds-metric step_cpu_seconds: charge each replayed step the value of this recorded metric
 * instead of its recorded (wall) step time. On a loaded machine a step's wall time measures the load;
 * a trainable that reports its own CPU time per step (the tfjs one does) gives a load-free cost.
 */
const SECONDS_METRIC = flags["seconds-metric"];
if (SECONDS_METRIC !== undefined && (SECONDS_METRIC === "" || SECONDS_METRIC.startsWith("--"))) {
  throw new OptionError("--seconds-metric", "give the name of a recorded metric holding each step's seconds, e.g. step_cpu_seconds");
}

const loadStarted = performance.now();
const replayed = recordedObjective(dir, { unrecorded: "nearest", beyondRecording: "end" });
const loadSeconds = (performance.now() - loadStarted) / 1000;
const analysis = loadExperiment(dir);
const { metric, mode, recording } = replayed;
const longest = Math.max(...recording.curves.map((c) => c.metrics.length));
const resources = firstResources();
const liveWall = recording.kind === "real" ? recording.endTime : undefined;


interface Method {
  readonly name: string;
  scheduler(seed: number): Scheduler;
}
const METHODS: readonly Method[] = [
  { name: "FIFO", scheduler: () => new FIFOScheduler() },
  { name: "ASHA", scheduler: (seed) => new ASHAScheduler({ metric, mode, maxT: longest, gracePeriod: 1, reductionFactor: 3, seed }) },
  { name: "HyperBand", scheduler: () => new HyperBandScheduler({ metric, mode, maxT: longest, reductionFactor: 3 }) },
  {
    name: "median stopping",
    scheduler: () => new MedianStoppingRule({ metric, mode, timeAttr: "training_iteration", gracePeriod: Math.max(1, Math.round(longest / 10)) }),
  },
  {
    name: "PBT",
    scheduler: (seed) =>
      new PopulationBasedTraining({
        metric,
        mode,
        seed,
        timeAttr: "training_iteration",
        perturbationInterval: Math.max(1, Math.round(longest / 6)),
        hyperparamMutations: recordedValueLists(replayed.configs),
      }),
  },
];

interface Outcome {
  best: number;
  cpuSeconds: number;
  gpuSeconds: number;
  simulatedSeconds: number;
  wall: number;
}

function runOnce(method: Method, seed: number): Outcome {
  const meter = { cpu: 0, gpu: 0 };
  const objective: Objective = {
    ...replayed,
    step(state, config, context) {
      const out = replayed.step(state as never, config, context);
      const seconds = SECONDS_METRIC === undefined ? out.seconds : stepSeconds(out.metrics, SECONDS_METRIC);
      meter.cpu += seconds * context.resources.cpu;
      meter.gpu += seconds * context.resources.gpu;
      return { ...out, seconds };
    },
  };
  const started = performance.now();
  const run = simulate({
    objective,
    space: {},
    metric,
    mode,
    trials: replayed.configs.length,
    maxIterations: longest,
    seed,
    searcher: new RecordedConfigSearcher(replayed.configs, { seed }),
    scheduler: method.scheduler(seed),
    resources,
    cluster: { nodeTypes: [{ name: "replay", count: CPUS, cpus: resources.cpu, gpus: resources.gpu }] },
  });
  return {
    best: run.best?.metric ?? Number.NaN,
    cpuSeconds: meter.cpu,
    gpuSeconds: meter.gpu,
    simulatedSeconds: run.summary.simulatedSeconds,
    wall: (performance.now() - started) / 1000,
  };
}

function stepSeconds(metrics: Record<string, unknown>, name: string): number {
  const value = metrics[name];
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new OptionError("--seconds-metric", `a recorded result has no non-negative number "${name}" (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** PBT's mutations: per numeric top-level hyperparameter, its recorded values in order (explore shifts to a neighbour). */
function recordedValueLists(configs: readonly Config[]): Record<string, number[]> {
  const lists: Record<string, number[]> = {};
  for (const key of Object.keys(configs[0] ?? {})) {
    const values = configs.map((c) => c[key]);
    if (values.every((v) => typeof v === "number")) lists[key] = [...new Set(values as number[])].sort((a, b) => a - b);
  }
  return lists;
}

/** The recorded trials' resources (params.json of the first recorded trial; the layout's one definition of the path). */
function firstResources(): { cpu: number; gpu: number } {
  const trialId = recording.curves[0]?.trialId;
  if (trialId === undefined) return { cpu: 1, gpu: 0 };
  const params = JSON.parse(readFileSync(trialFile(dir as string, trialId, PARAMS_FILE), "utf8")) as TrialParams;
  return { cpu: params.resources.cpu, gpu: params.resources.gpu };
}

console.log(
  `replay-schedulers: ${dir}: ${recording.curves.length} recorded configs, curves up to ${longest} iterations, metric ${metric} (${mode}); ` +
    `${SEEDS} seeds, ${CPUS} slots of ${resources.cpu} CPU / ${resources.gpu} GPU; step cost ${SECONDS_METRIC ?? "recorded step time"}; loading took ${loadSeconds.toFixed(2)} s`,
);
const rows: string[][] = [];
const lines: string[] = [];
for (const method of METHODS) {
  const outcomes = Array.from({ length: SEEDS }, (_, s) => runOnce(method, s));
  const m = (key: keyof Outcome) => median(outcomes.map((o) => o[key]));
  rows.push([
    method.name,
    fmt(m("best"), 4),
    fmt(m("cpuSeconds"), 1),
    fmt(m("gpuSeconds"), 1),
    fmt(m("simulatedSeconds"), 1),
    fmt(m("wall"), 3),
    liveWall !== undefined ? fmt(liveWall / m("wall"), 0) : "-",
  ]);
  const id = method.name.replace(/\s+/g, "_");
  lines.push(`best.${id}=${m("best")}`, `cpu_seconds.${id}=${m("cpuSeconds")}`, `gpu_seconds.${id}=${m("gpuSeconds")}`, `replay_wall_seconds.${id}=${m("wall")}`);
}
console.log(
  "\n" +
    formatTable(["scheduler", `best ${metric} (median)`, "CPU-s held", "GPU-s held", "simulated s", "replay wall s", "live wall / replay wall"], rows),
);
console.log(`\nlive run: wall ${liveWall !== undefined ? `${liveWall.toFixed(1)} s` : "unknown (not a finished real run)"}, best ${analysis.bestTrial()?.results.at(-1)?.metrics[metric] ?? "-"}`);
for (const line of lines) console.log(line);
if (liveWall !== undefined) console.log(`live_wall_seconds=${liveWall}`);
