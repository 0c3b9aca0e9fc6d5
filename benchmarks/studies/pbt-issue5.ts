/**
 * Population-based training against search + early stopping on the stateful,
 * noisy RL-like objectives (issue 5):
 *
 *   npx tsx benchmarks/studies/pbt-issue5.ts                 # 10 seeds, the table
 *   npx tsx benchmarks/studies/pbt-issue5.ts --seeds 3       # quicker
 *   npx tsx benchmarks/studies/pbt-issue5.ts --power --first-seed 100 --seeds 100
 *       # PB2-4 against PBT-4 on 100 other seeds: the effect, and the chance that 10 seeds show it at p < 0.05
 *
 * Every method gets the same cluster (4 simulated GPUs) for the same simulated
 * time, so the same GPU-seconds: random search + FIFO (each trial trains for the
 * whole budget: the population trained independently), random search + ASHA
 * (if exported), PBT and PB2 with populations 4 and 16 (16 time-multiplexed on
 * the 4 GPUs). Reported over seeds: median [IQR] of the best final return (the
 * best, over trials, of the mean of a trial's last `targetWindow` results when the
 * budget ran out: as RL reports a final return averaged over its last iterations,
 * so that one lucky draw of rl-return's heavy-tailed noise does not decide it) and of the
 * time to target (simulated seconds until a result reaches the target, for
 * rl-return the mean of a trial's last 5 results; "-" when never), and
 * Mann-Whitney p-values (two-sided) of PBT against random and ASHA, and of PB2
 * against PBT at the same population. PBT/PB2 use Ray's defaults (time_total_s,
 * quantile 0.25, resample 0.25, factors 1.2/0.8) with a perturbation every 20 s
 * (noisy-lr-schedule) or 120 s (rl-return), and mutate or bound every
 * hyperparameter of the benchmark's space. About 2.5 minutes on 2 cores.
 */
import * as schedulers from "../../algorithms/schedulers/index.ts";
import { FIFOScheduler, PB2, PopulationBasedTraining, boundsFromSpace, integerKeysFromSpace, mutationsFromSpace } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import type { Scheduler, TrialView } from "../../core/contracts/index.ts";
import { TimeoutStopper } from "../../core/stoppers/index.ts";
import { simulate } from "../../simulator/index.ts";
import { fixed, formatTable, mannWhitneyU, median, medianInterval, quantile, resampledChance } from "../stats/index.ts";
import { numberFlag } from "../script-flags.ts";
import { parseArgs } from "node:util";
import { benchmarkByName, type Benchmark } from "../objectives/index.ts";

interface Setting {
  readonly benchmark: string;
  /** Simulated seconds every method gets on the GPUS GPUs. */
  readonly seconds: number;
  readonly target: number;
  /** Results averaged for time-to-target: 1 where the trainable itself ends at the target (noisy-lr-schedule's done). */
  readonly targetWindow: number;
  readonly perturbationInterval: number;
  /** ASHA's time axis and limits, in iterations. */
  readonly ashaMaxT: number;
  readonly ashaGrace: number;
}

const GPUS = 4;
const SETTINGS: readonly Setting[] = [
  { benchmark: "noisy-lr-schedule", seconds: 1000, target: 200, targetWindow: 1, perturbationInterval: 20, ashaMaxT: 1000, ashaGrace: 10 },
  { benchmark: "rl-return", seconds: 3000, target: 400, targetWindow: 5, perturbationInterval: 120, ashaMaxT: 400, ashaGrace: 5 },
];

const { values: flags } = parseArgs({ options: { seeds: { type: "string" }, "first-seed": { type: "string" }, power: { type: "boolean", default: false } } });
const SEEDS = numberFlag("seeds", flags.seeds, 10, { integer: true, min: 1 });
const FIRST_SEED = numberFlag("first-seed", flags["first-seed"], 0, { integer: true, min: 0 });
const ASHA = (schedulers as Record<string, unknown>)["ASHAScheduler"] as
  | (new (o: { metric: string; mode: "min" | "max"; maxT: number; gracePeriod: number; reductionFactor: number; seed: number }) => Scheduler)
  | undefined;

interface Method {
  readonly name: string;
  readonly population: number | undefined;
  scheduler(bench: Benchmark, setting: Setting, seed: number): Scheduler;
}

const METHODS: Method[] = [
  { name: "random+FIFO", population: GPUS, scheduler: () => new FIFOScheduler() },
  ...(ASHA
    ? [
        {
          name: "random+ASHA",
          population: undefined,
          scheduler: (b: Benchmark, s: Setting, seed: number) =>
            new ASHA({ metric: b.metric, mode: b.mode, maxT: s.ashaMaxT, gracePeriod: s.ashaGrace, reductionFactor: 3, seed }),
        },
      ]
    : []),
  ...[4, 16].flatMap((population): Method[] => [
    {
      name: `PBT-${population}`,
      population,
      scheduler: (b, s, seed) =>
        new PopulationBasedTraining({ metric: b.metric, mode: b.mode, seed, perturbationInterval: s.perturbationInterval, hyperparamMutations: mutationsFromSpace(b.space) }),
    },
    {
      name: `PB2-${population}`,
      population,
      scheduler: (b, s, seed) =>
        new PB2({
          metric: b.metric,
          mode: b.mode,
          seed,
          perturbationInterval: s.perturbationInterval,
          hyperparamBounds: boundsFromSpace(b.space),
          integerHyperparams: integerKeysFromSpace(b.space),
        }),
    },
  ]),
];

interface Outcome {
  best: number;
  timeToTarget: number;
  gpuSeconds: number;
  wall: number;
}

function runOnce(setting: Setting, method: Method, seed: number): Outcome {
  const bench = benchmarkByName(setting.benchmark);
  const started = performance.now();
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: method.population ?? 10_000,
    seed,
    searcher: new RandomSearch(bench.space, { metric: bench.metric, mode: bench.mode, seed }),
    scheduler: method.scheduler(bench, setting, seed),
    cluster: { gpus: GPUS },
    maxIterations: null,
    stoppers: [new TimeoutStopper(setting.seconds)],
  });
  return {
    best: finalReturn(run.trials, bench.metric, setting.targetWindow),
    timeToTarget: timeToTarget(run.trials, bench.metric, setting.target, setting.targetWindow),
    gpuSeconds: run.summary.gpuSeconds,
    wall: (performance.now() - started) / 1000,
  };
}

/** Best, over trials, of the mean of a trial's last `window` results (NaN when no trial reported). */
function finalReturn(trials: readonly TrialView[], metric: string, window: number): number {
  let best = Number.NaN;
  for (const trial of trials) {
    const tail = trial.history.slice(-window).map((r) => r.metrics[metric] as number);
    if (tail.length === 0) continue;
    const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
    if (!(mean <= best)) best = mean;
  }
  return best;
}

/** First simulated time at which some trial's last `window` results average at least `target`. */
function timeToTarget(trials: readonly TrialView[], metric: string, target: number, window: number): number {
  let first = Number.POSITIVE_INFINITY;
  for (const trial of trials) {
    const values: number[] = [];
    for (const result of trial.history) {
      values.push(result.metrics[metric] as number);
      if (values.length > window) values.shift();
      if (values.length === window && values.reduce((a, b) => a + b, 0) / window >= target) {
        first = Math.min(first, result.time);
        break;
      }
    }
  }
  return first;
}

/** One decimal unless told: returns and seconds. */
const fmt = (v: number, digits = 1): string => fixed(v, digits);
const cell = (values: number[], digits = 1): string => `${fmt(median(values), digits)} [${fmt(quantile(values, 0.25), digits)}, ${fmt(quantile(values, 0.75), digits)}]`;
const pValue = (a: number[], b: number[]): string => mannWhitneyU(a, b).p.toFixed(4);

const started = performance.now();
if (flags.power === true) power();
else table();
console.log(`\ntotal wall time ${((performance.now() - started) / 1000).toFixed(1)} s`);

function table(): void {
console.log(`pbt-issue5: seeds ${FIRST_SEED}..${FIRST_SEED + SEEDS - 1}, ${GPUS} GPUs, equal simulated time per method${ASHA ? "" : " (ASHA not exported: skipped)"}`);
for (const setting of SETTINGS) {
  const results = new Map<string, Outcome[]>();
  for (const method of METHODS) {
    results.set(method.name, Array.from({ length: SEEDS }, (_, i) => runOnce(setting, method, FIRST_SEED + i)));
  }
  const get = (name: string, key: keyof Outcome) => (results.get(name) ?? []).map((o) => o[key]);
  console.log(`\n${setting.benchmark}: ${setting.seconds} s x ${GPUS} GPUs = ${setting.seconds * GPUS} GPU-s per run, target ${setting.target}`);
  const rows = [["method", "best final return  median [IQR]", "time to target (s)  median [IQR]", "reached", "GPU-s used", "wall s/run"]];
  for (const method of METHODS) {
    const outcomes = results.get(method.name) as Outcome[];
    rows.push([
      method.name,
      cell(get(method.name, "best")),
      cell(get(method.name, "timeToTarget"), 0),
      `${outcomes.filter((o) => Number.isFinite(o.timeToTarget)).length}/${SEEDS}`,
      fmt(median(get(method.name, "gpuSeconds")), 0),
      fmt(median(get(method.name, "wall")), 2),
    ]);
  }
  process.stdout.write(formatTable(rows[0] as string[], rows.slice(1), false));
  const tests: Array<[string, string, string]> = [
    ["PBT-4", "random+FIFO", "PBT beats random search"],
    ...(ASHA ? ([["PBT-4", "random+ASHA", "PBT beats ASHA"]] as Array<[string, string, string]>) : []),
    ["PB2-4", "PBT-4", "PB2 beats PBT at population 4"],
    ["PB2-16", "PBT-16", "PB2 vs PBT at population 16"],
  ];
  for (const [a, b, claim] of tests) {
    const bestA = get(a, "best");
    const bestB = get(b, "best");
    const ttA = get(a, "timeToTarget");
    const ttB = get(b, "timeToTarget");
    console.log(
      `  ${claim.padEnd(32)} best return: ${fmt(median(bestA))} vs ${fmt(median(bestB))}, p=${pValue(bestA, bestB)};` +
        `  time to target: ${fmt(median(ttA), 0)} vs ${fmt(median(ttB), 0)}, p=${pValue(ttA, ttB)}`,
    );
  }
}
}

/**
 * PB2-4 against PBT-4 on many seeds: medians with bootstrap 95% intervals, the rank test
 * on all of them, and the chance that a draw of 10 seeds per method gives p < 0.05 with
 * PB2 ahead (the power of the 10-seed test for the effect the many seeds show).
 */
function power(): void {
  const pair = METHODS.filter((m) => m.name === "PBT-4" || m.name === "PB2-4");
  console.log(`pbt-issue5 --power: PB2-4 vs PBT-4 on seeds ${FIRST_SEED}..${FIRST_SEED + SEEDS - 1}, ${GPUS} GPUs`);
  for (const setting of SETTINGS) {
    const [pbt, pb2] = pair.map((method) => Array.from({ length: SEEDS }, (_, i) => runOnce(setting, method, FIRST_SEED + i)));
    console.log(`\n${setting.benchmark}`);
    for (const [key, label, better] of [
      ["best", "best final return", 1],
      ["timeToTarget", "time to target (s)", -1],
    ] as const) {
      const a = (pb2 as Outcome[]).map((o) => o[key]);
      const b = (pbt as Outcome[]).map((o) => o[key]);
      const ci = (v: number[]) => {
        const [low, high] = medianInterval(v);
        return `${fmt(median(v))} [${fmt(low)}, ${fmt(high)}]`;
      };
      const ahead = (x: readonly number[], y: readonly number[]) => better * (median(x) - median(y)) > 0;
      const chance = resampledChance([a, b], 10, ([x, y]) => ahead(x as number[], y as number[]) && mannWhitneyU(x as number[], y as number[]).p < 0.05);
      console.log(
        `  ${label.padEnd(20)} PB2-4 ${ci(a)}  PBT-4 ${ci(b)}  p(${SEEDS} seeds)=${pValue(a, b)}  ` +
          `chance that 10 seeds show PB2 ahead at p<0.05: ${chance.toFixed(3)}`,
      );
    }
  }
}
