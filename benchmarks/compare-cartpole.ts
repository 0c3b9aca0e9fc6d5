/**
 * PBT and PB2 against random+FIFO and random+ASHA on CartPole-v1 learned by
 * REINFORCE (a real agent, real training; issue 11 section 3):
 *
 *   npx tsx benchmarks/compare-cartpole.ts            # 10 seeds, population 8, 0.3 s x 8 CPUs (~2.5 CPU-minutes; 15-25 min on 2 cores shared by many jobs)
 *   npx tsx benchmarks/compare-cartpole.ts --full     # 10 seeds, population 16, 2 s x 16 CPUs (~30 CPU-minutes)
 *   npx tsx benchmarks/compare-cartpole.ts --seeds 3  # quicker
 *   npx tsx benchmarks/compare-cartpole.ts --real     # a real wall-clock budget (tune(), in process) instead
 *   npx tsx benchmarks/compare-cartpole.ts --short    # the measurable version: 0.1 s x 8 CPUs, 30 seeds (PB2 > FIFO at Holm p 0.015) (at 0.3 s every method reaches ~500)
 *   npx tsx benchmarks/compare-cartpole.ts --scan 0.02,0.05,0.1,0.2   # random+FIFO alone per budget: where is it well below 475?
 *
 * Every method gets the same population slots (P CPUs, one trial per CPU) and the
 * same budget. By default the agent trains for real inside the simulator, which
 * charges each step 5 microseconds per environment step (what a step costs here,
 * rollout and update): the budget is then compute, the same for every method
 * whatever else the machine runs, and a seed gives the same table on any machine.
 * With --real the same experiments run under tune() on this machine's clock with
 * a wall budget of P x the per-CPU budget (the in-process executor interleaves
 * the P trials on one core, so both modes give each method the same CPU-seconds);
 * on a shared machine those times measure the load too.
 *
 * Methods: random+FIFO (P trials, each trains for the whole budget), random+ASHA
 * (as many trials as the budget allows; maxT 81, grace 3, factor 3, in
 * iterations), PBT and PB2 (population P, perturbation every 5 iterations, every
 * hyperparameter mutated / bounded by its domain, Ray's other defaults).
 * One iteration is 10 training episodes.
 *
 * Reported per method over seeds: median [IQR] of the final return (the best,
 * over trials, of the trial's last reported mean return over its last 10
 * episodes, when the budget ran out) with a bootstrap 95% interval of the median;
 * the time until some trial reports a mean return >= 475 (CartPole-v1's solved
 * threshold; "-" when never, counted as +infinity in the ranks); then Wilcoxon
 * signed-rank tests paired by seed (PBT and PB2 against FIFO and ASHA, PB2
 * against PBT), Holm-adjusted over the comparisons of each measure.
 */
import { ASHAScheduler, FIFOScheduler, PB2, PopulationBasedTraining, boundsFromSpace, integerKeysFromSpace, mutationsFromSpace } from "../algorithms/schedulers/index.ts";
import { RandomSearch } from "../algorithms/searchers/index.ts";
import type { Objective, Scheduler, TrialView } from "../core/contracts/index.ts";
import { TimeoutStopper } from "../core/stoppers/index.ts";
import { tune } from "../real-backend/index.ts";
import { simulate } from "../simulator/index.ts";
import { cartPoleObjective, cartPoleSpace, CARTPOLE_SOLVED_RETURN } from "./rl/index.ts";
import { fixed as fmt, formatTable, holmAdjust, medianInterval, median, quantile, wilcoxonSignedRank } from "./stats/index.ts";
import { numberFlag, numberListFlag } from "./script-flags.ts";
import { parseArgs } from "node:util";

const { values: flags } = parseArgs({
  options: {
    full: { type: "boolean", default: false },
    short: { type: "boolean", default: false },
    real: { type: "boolean", default: false },
    seeds: { type: "string" },
    "first-seed": { type: "string" },
    population: { type: "string" },
    seconds: { type: "string" },
    scan: { type: "string" },
    methods: { type: "string" },
    summarise: { type: "string" },
  },
});
const FULL = flags.full === true;
/**
 * --short: the measurable version. At the default 0.3 s per CPU every method's best trial reaches ~500
 * (no method can differ); at 0.1 s per CPU (20,000 environment steps per CPU) random+FIFO's median final
 * return is ~370, well below 475 (found with --scan 0.02,0.05,0.1,0.2), and 30 seeds: at 10 PB2's lead over FIFO was not decided (Holm p 0.34), at 30 it is (0.015).
 */
const SHORT = flags.short === true;
const REAL = flags.real === true;
const SEEDS = numberFlag("seeds", flags.seeds, SHORT ? 30 : 10, { integer: true, min: 1 });
const FIRST_SEED = numberFlag("first-seed", flags["first-seed"], 0, { integer: true, min: 0 });
const POPULATION = numberFlag("population", flags.population, FULL ? 16 : 8, { integer: true, min: 1 });
/** Budget per CPU, in (simulated or wall) seconds. */
let SECONDS_PER_CPU = numberFlag("seconds", flags.seconds, FULL ? 2 : SHORT ? 0.1 : 0.3, { above: 0 });
/** --scan 0.02,0.05,0.1: random+FIFO alone at each per-CPU budget (to find one where methods can differ), then exit. */
const SCAN = numberListFlag("scan", flags.scan, { above: 0 });
const SECONDS_PER_ENV_STEP = 5e-6;
const EPISODES_PER_STEP = 10;
const METRIC = "mean_return";

interface Method {
  readonly name: string;
  /** Trials to create: the population, or unlimited (the budget decides). */
  readonly trials: number | undefined;
  scheduler(seed: number): Scheduler;
}

const pbtShared = { metric: METRIC, mode: "max" as const, timeAttr: "training_iteration", perturbationInterval: 5 };
const METHODS: readonly Method[] = [
  { name: "random+FIFO", trials: POPULATION, scheduler: () => new FIFOScheduler() },
  {
    name: "random+ASHA",
    trials: undefined,
    scheduler: (seed) => new ASHAScheduler({ metric: METRIC, mode: "max", maxT: 81, gracePeriod: 3, reductionFactor: 3, seed }),
  },
  { name: "PBT", trials: POPULATION, scheduler: (seed) => new PopulationBasedTraining({ ...pbtShared, seed, hyperparamMutations: mutationsFromSpace(cartPoleSpace) }) },
  {
    name: "PB2",
    trials: POPULATION,
    scheduler: (seed) =>
      new PB2({ ...pbtShared, seed, hyperparamBounds: boundsFromSpace(cartPoleSpace), integerHyperparams: integerKeysFromSpace(cartPoleSpace) }),
  },
];

interface Outcome {
  final: number;
  timeToSolved: number;
  trials: number;
  wall: number;
}

function objective(): Objective {
  // In process there is no actor to start and a checkpoint is a copy of ~700 numbers: no simulated overheads.
  return { ...cartPoleObjective({ episodesPerStep: EPISODES_PER_STEP, secondsPerEnvStep: SECONDS_PER_ENV_STEP }), startupSeconds: 0, checkpointSeconds: 0, restoreSeconds: 0 };
}

async function runOnce(method: Method, seed: number): Promise<Outcome> {
  const started = performance.now();
  const common = {
    space: cartPoleSpace,
    metric: METRIC,
    mode: "max" as const,
    seed,
    searcher: new RandomSearch(cartPoleSpace, { metric: METRIC, mode: "max", seed }),
    scheduler: method.scheduler(seed),
    resources: { cpu: 1, gpu: 0 },
    maxIterations: null,
    progress: false,
    // ASHA: as many trials as the budget allows.
    trials: method.trials ?? 10_000,
  };
  const run = REAL
    ? await tune({
        ...common,
        trainable: objective(),
        capacity: { cpu: POPULATION, gpu: 0 },
        stoppers: [new TimeoutStopper(SECONDS_PER_CPU * POPULATION)],
      })
    : simulate({
        ...common,
        objective: objective(),
        cluster: { nodeTypes: [{ name: "cpu", count: 1, cpus: POPULATION, gpus: 0 }] },
        stoppers: [new TimeoutStopper(SECONDS_PER_CPU)],
      });
  return { final: finalReturn(run.trials), timeToSolved: timeToSolved(run.trials), trials: run.trials.length, wall: (performance.now() - started) / 1000 };
}

/** Best, over trials, of the last reported mean return (itself the mean of the trial's last 10 episodes). */
function finalReturn(trials: readonly TrialView[]): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const t of trials) {
    const last = t.history.at(-1)?.metrics[METRIC];
    if (last !== undefined && last > best) best = last;
  }
  return best;
}

/** First time (the loop's clock) at which some trial reported a mean return >= 475. */
function timeToSolved(trials: readonly TrialView[]): number {
  let first = Number.POSITIVE_INFINITY;
  for (const t of trials) {
    const hit = t.history.find((r) => (r.metrics[METRIC] as number) >= CARTPOLE_SOLVED_RETURN);
    if (hit && hit.time < first) first = hit.time;
  }
  return first;
}

const cell = (values: number[], digits: number): string =>
  `${fmt(median(values), digits)} [${fmt(quantile(values, 0.25), digits)}, ${fmt(quantile(values, 0.75), digits)}]`;
const interval = (values: number[], digits: number): string => {
  const [low, high] = medianInterval(values);
  return `[${fmt(low, digits)}, ${fmt(high, digits)}]`;
};

if (SCAN !== undefined) {
  if (SCAN.length === 0 || SCAN.some((b) => !(b > 0))) throw new Error("--scan: give a comma list of positive per-CPU budgets in seconds, e.g. 0.02,0.05,0.1");
  const fifo = METHODS[0] as Method;
  const rows: string[][] = [];
  for (const budget of SCAN) {
    SECONDS_PER_CPU = budget;
    const list: Outcome[] = [];
    for (let s = 0; s < SEEDS; s++) list.push(await runOnce(fifo, FIRST_SEED + s));
    const finals = list.map((o) => o.final);
    rows.push([String(budget), cell(finals, 1), `${list.filter((o) => Number.isFinite(o.timeToSolved)).length}/${SEEDS}`, `${finals.filter((f) => f >= CARTPOLE_SOLVED_RETURN).length}/${SEEDS}`]);
    console.log(`scan.fifo_final_median.${budget}=${median(finals)}`);
  }
  console.log("\n" + formatTable(["per-CPU budget s", "random+FIFO final return median [IQR]", "reached 475 at some point", "final >= 475"], rows));
  process.exit(0);
}

const started = performance.now();
const clock = REAL ? "wall" : "simulated";
console.log(
  `compare-cartpole: seeds ${FIRST_SEED}..${FIRST_SEED + SEEDS - 1}, population ${POPULATION} (${POPULATION} CPUs), ` +
    `${REAL ? `${SECONDS_PER_CPU * POPULATION} wall s on one process` : `${SECONDS_PER_CPU} simulated s x ${POPULATION} CPUs`} per run, ` +
    `${EPISODES_PER_STEP} episodes per iteration${REAL ? "" : `, ${SECONDS_PER_ENV_STEP * 1e6} us per env step`}`,
);
/**
 * --methods PBT,PB2: run only these (separate processes can then share the methods);
 * --summarise a.log,b.log: no training, the table and tests from the "run ..." lines of earlier logs.
 */
const ONLY = flags.methods !== undefined ? new Set(flags.methods.split(",")) : undefined;
const SUMMARISE = flags.summarise?.split(",");
const outcomes = new Map<string, Outcome[]>();
if (SUMMARISE !== undefined) {
  const { readFileSync } = await import("node:fs");
  const bySeed = new Map<string, Map<number, Outcome>>();
  for (const file of SUMMARISE) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const m = /^run method=(\S+) seed=(\d+) final=(\S+) time_to_\d+=(\S+) trials=(\d+)/.exec(line);
      if (!m) continue;
      const list = bySeed.get(m[1] as string) ?? new Map<number, Outcome>();
      list.set(Number(m[2]), { final: Number(m[3]), timeToSolved: Number(m[4]), trials: Number(m[5]), wall: Number.NaN });
      bySeed.set(m[1] as string, list);
    }
  }
  for (const method of METHODS) {
    const list = bySeed.get(method.name);
    const seeds = Array.from({ length: SEEDS }, (_, i) => FIRST_SEED + i);
    const missing = seeds.filter((s) => !list?.has(s));
    if (missing.length > 0) throw new Error(`--summarise: ${method.name} has no run line for seed(s) ${missing.join(", ")} in ${SUMMARISE.join(", ")}`);
    outcomes.set(method.name, seeds.map((s) => list?.get(s) as Outcome));
  }
}
for (const method of SUMMARISE !== undefined ? [] : METHODS) {
  if (ONLY !== undefined && !ONLY.has(method.name)) continue;
  const list: Outcome[] = [];
  for (let s = 0; s < SEEDS; s++) {
    const o = await runOnce(method, FIRST_SEED + s);
    list.push(o);
    // One line per run, so a run cut short still leaves its numbers.
    console.log(`run method=${method.name} seed=${FIRST_SEED + s} final=${o.final} time_to_${CARTPOLE_SOLVED_RETURN}=${o.timeToSolved} trials=${o.trials}`);
  }
  outcomes.set(method.name, list);
  console.error(`  ${method.name} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
if (ONLY !== undefined && SUMMARISE === undefined) process.exit(0);
const get = (name: string, key: keyof Outcome): number[] => (outcomes.get(name) as Outcome[]).map((o) => o[key]);

const rows = METHODS.map((m) => [
  m.name,
  cell(get(m.name, "final"), 1),
  interval(get(m.name, "final"), 1),
  cell(get(m.name, "timeToSolved"), 2),
  `${get(m.name, "timeToSolved").filter(Number.isFinite).length}/${SEEDS}`,
  fmt(median(get(m.name, "trials")), 0),
  fmt(median(get(m.name, "wall")), 1),
]);
console.log(
  "\n" +
    formatTable(
      ["method", "final return median [IQR]", "95% CI of median", `time to ${CARTPOLE_SOLVED_RETURN} (${clock} s) median [IQR]`, "solved", "trials", "wall s/run"],
      rows,
    ),
);

const pairs: Array<[string, string]> = [
  ["PBT", "random+FIFO"],
  ["PBT", "random+ASHA"],
  ["PB2", "random+FIFO"],
  ["PB2", "random+ASHA"],
  ["PB2", "PBT"],
];
for (const [key, label] of [
  ["final", "final return"],
  ["timeToSolved", `time to ${CARTPOLE_SOLVED_RETURN}`],
] as const) {
  // Never solved is +infinity: the rank test orders it last; give it a finite stand-in above every real time.
  const finiteMax = Math.max(0, ...METHODS.flatMap((m) => get(m.name, key).filter(Number.isFinite)));
  const values = (name: string) => get(name, key).map((v) => (Number.isFinite(v) ? v : finiteMax * 10 + 1));
  const tests = pairs.map(([a, b]) => wilcoxonSignedRank(values(a), values(b)));
  const adjusted = holmAdjust(tests.map((t) => (Number.isNaN(t.p) ? 1 : t.p)));
  console.log(`\nWilcoxon signed-rank, paired by seed, ${label} (Holm-adjusted over ${pairs.length} comparisons):`);
  console.log(
    formatTable(
      ["comparison", "median A", "median B", "p", "p (Holm)"],
      pairs.map(([a, b], i) => [`${a} vs ${b}`, fmt(median(get(a, key)), 2), fmt(median(get(b, key)), 2), fmt(tests[i]!.p, 4), fmt(adjusted[i], 4)]),
    ),
  );
}
for (const m of METHODS) console.log(`final_return_median.${m.name}=${median(get(m.name, "final"))}`);
for (const m of METHODS) console.log(`time_to_${CARTPOLE_SOLVED_RETURN}_median.${m.name}=${median(get(m.name, "timeToSolved"))}`);
console.log(`wall_seconds_total=${((performance.now() - started) / 1000).toFixed(1)}`);
