/**
 * Study 2 of issue 15: how often should a trial on spot nodes checkpoint?
 *
 * One trial of fixed work W runs on one spot node that is preempted as a
 * Poisson process with mean time between failures M; a checkpoint blocks the
 * trial for C seconds; after a preemption the replacement node joins after
 * the cluster's replacement delay, the actor starts and restores the latest
 * checkpoint. The interval tau (compute seconds between checkpoints) is swept
 * over a geometric grid around Young's optimum sqrt(2 C M) (Young 1974), and
 * the simulated optimum is the minimiser of the mean wall time over seeds:
 * the expected time Young and Daly (2006) minimise. The same seed gives the
 * same node lifetimes at every tau (common random numbers), so the curves are
 * compared on the same failures.
 *
 * Per scenario it prints Young's and Daly's intervals, the simulated optimum
 * (the median of a bootstrap over seeds, with its 95% interval; a parabola in
 * log tau through the best grid point and its neighbours), their ratio, the
 * overhead (wall / W - 1) at Young's interval and at the optimum, and a
 * Wilcoxon signed-rank test of the per-seed wall times at those two grid points.
 *
 *   npx tsx benchmarks/studies/checkpoint-interval.ts [--seeds 30] [--failures 40] [--first-seed 0] [--case A,B]
 */
import { FIFOScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { rngFor } from "../../core/rng.ts";
import { OptionError } from "../../core/errors/index.ts";
import { simulate } from "../../simulator/index.ts";
import { hartmann6, learningCurveObjective } from "../objectives/index.ts";
import { fmt, formatTable, median, quantile, wilcoxonSignedRank } from "../stats/index.ts";
import { numberFlag } from "../script-flags.ts";
import { parseArgs } from "node:util";

export interface Scenario {
  readonly name: string;
  /** Checkpoint cost, seconds (the trial is blocked while it saves). */
  readonly checkpointSeconds: number;
  /** Mean time between preemptions of the node, seconds. */
  readonly mtbfSeconds: number;
  /** Why this scenario: where Young's assumptions hold or not. */
  readonly note: string;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: "A", checkpointSeconds: 10, mtbfSeconds: 3600, note: "C << M" },
  { name: "B", checkpointSeconds: 60, mtbfSeconds: 14_400, note: "C << M" },
  { name: "C", checkpointSeconds: 60, mtbfSeconds: 3600, note: "C << M" },
  { name: "D", checkpointSeconds: 300, mtbfSeconds: 3600, note: "C/M = 0.08" },
  { name: "E", checkpointSeconds: 600, mtbfSeconds: 1800, note: "C/M = 0.33: C not << M" },
];

/** Grid points each side of Young's interval (ratio 4^(1/8) = 1.19 between neighbours, tau* / 4 to 4 tau*). */
const HALF_GRID = 8;
const GRID_SPAN = 4;
/** Steps per Young interval: the grid's resolution in iterations. */
const STEPS_PER_YOUNG = 20;

export function youngInterval(c: number, m: number): number {
  return Math.sqrt(2 * c * m);
}

/** Daly's higher-order optimum (Daly 2006, eq. 37), valid for C < 2M; M beyond. */
export function dalyInterval(c: number, m: number): number {
  if (c >= 2 * m) return m;
  const r = c / (2 * m);
  return Math.sqrt(2 * c * m) * (1 + Math.sqrt(r) / 3 + r / 9) - c;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly young: number;
  readonly daly: number;
  /** Checkpoint intervals swept, seconds of compute. */
  readonly taus: readonly number[];
  /** wall[t][s]: wall seconds at taus[t] for seed s. */
  readonly wall: readonly (readonly number[])[];
  readonly work: number;
}

/** Runs one scenario: every grid interval on every seed. `failures`: expected preemptions per run (W = failures x M). */
export function runScenario(scenario: Scenario, seeds: number, failures: number, firstSeed = 0): ScenarioResult {
  const c = scenario.checkpointSeconds;
  const m = scenario.mtbfSeconds;
  const young = youngInterval(c, m);
  const stepSeconds = young / STEPS_PER_YOUNG;
  const steps = Math.max(1, Math.round((failures * m) / stepSeconds));
  const bench = learningCurveObjective(hartmann6, { secondsRange: [stepSeconds, stepSeconds], maxIterations: steps, noiseFraction: 0 });
  const ks: number[] = [];
  for (let i = -HALF_GRID; i <= HALF_GRID; i++) {
    const k = Math.max(1, Math.round(STEPS_PER_YOUNG * GRID_SPAN ** (i / HALF_GRID)));
    if (!ks.includes(k)) ks.push(k);
  }
  const wall = ks.map((k) =>
    Array.from({ length: seeds }, (_, i) => {
      const seed = firstSeed + i;
      const run = simulate({
        objective: bench.objective,
        space: bench.space,
        metric: bench.metric,
        mode: bench.mode,
        trials: 1,
        seed,
        searcher: new RandomSearch(bench.space, { metric: bench.metric, mode: bench.mode, seed }),
        scheduler: new FIFOScheduler(),
        maxIterations: steps,
        resources: { cpu: 1, gpu: 1 },
        checkpointFrequency: k,
        cluster: {
          nodeTypes: [{ name: "spot1", count: 1, gpus: 1, cpus: 4, spot: true }],
          preemptionRate: 3600 / m,
          checkpointSeconds: c,
          restoreSeconds: c,
        },
      });
      return run.summary.simulatedSeconds;
    }),
  );
  return { scenario, young, daly: dalyInterval(c, m), taus: ks.map((k) => k * stepSeconds), wall, work: steps * stepSeconds };
}

/** The interval minimising the mean wall time over `seedIndexes`: a parabola in log tau through the best grid point. */
export function optimumOf(result: ScenarioResult, seedIndexes: readonly number[]): { tau: number; atEdge: boolean } {
  const means = result.wall.map((row) => seedIndexes.reduce((sum, s) => sum + (row[s] as number), 0) / seedIndexes.length);
  let best = 0;
  for (let i = 1; i < means.length; i++) if ((means[i] as number) < (means[best] as number)) best = i;
  const xs = result.taus.map(Math.log);
  if (best === 0 || best === means.length - 1) return { tau: result.taus[best] as number, atEdge: true };
  const [x0, x1, x2] = [xs[best - 1], xs[best], xs[best + 1]] as [number, number, number];
  const [y0, y1, y2] = [means[best - 1], means[best], means[best + 1]] as [number, number, number];
  const denom = (x0 - x1) * (x0 - x2) * (x1 - x2);
  const a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / denom;
  const b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / denom;
  const vertex = a > 0 ? -b / (2 * a) : x1;
  return { tau: Math.exp(Math.min(x2, Math.max(x0, vertex))), atEdge: false };
}

export interface ScenarioSummary {
  readonly optimum: number;
  readonly interval: [number, number];
  readonly edgeShare: number;
  readonly ratio: number;
  readonly overheadAtYoung: number;
  readonly overheadAtOptimum: number;
  readonly p: number;
}

/** Bootstrap over seeds (seeded): the optimum's median and 95% interval; the overheads; the rank test. */
export function summarise(result: ScenarioResult, draws = 1000): ScenarioSummary {
  const seeds = (result.wall[0] as readonly number[]).length;
  const all = Array.from({ length: seeds }, (_, s) => s);
  const rng = rngFor(0, "study:checkpoint-interval");
  const optima: number[] = [];
  let atEdge = 0;
  for (let d = 0; d < draws; d++) {
    const sample = Array.from({ length: seeds }, () => Math.floor(rng.next() * seeds));
    const o = optimumOf(result, sample);
    optima.push(o.tau);
    if (o.atEdge) atEdge++;
  }
  const optimum = median(optima);
  const nearest = (tau: number) => result.taus.reduce((best, t, i) => (Math.abs(Math.log(t / tau)) < Math.abs(Math.log((result.taus[best] as number) / tau)) ? i : best), 0);
  const atYoung = result.wall[nearest(result.young)] as readonly number[];
  const atOptimum = result.wall[nearest(optimumOf(result, all).tau)] as readonly number[];
  const overhead = (walls: readonly number[]) => median(walls) / result.work - 1;
  return {
    optimum,
    interval: [quantile(optima, 0.025), quantile(optima, 0.975)],
    edgeShare: atEdge / draws,
    ratio: optimum / result.young,
    overheadAtYoung: overhead(atYoung),
    overheadAtOptimum: overhead(atOptimum),
    p: atYoung === atOptimum ? Number.NaN : wilcoxonSignedRank(atYoung, atOptimum).p,
  };
}

/** `--case B,E`: only those scenarios (default all). */
function chosenScenarios(text: string | undefined): readonly Scenario[] {
  if (text === undefined) return SCENARIOS;
  const names = text.split(",");
  for (const name of names) if (!SCENARIOS.some((s) => s.name === name)) throw new OptionError("--case", `got unknown case ${JSON.stringify(name)}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  return SCENARIOS.filter((s) => names.includes(s.name));
}

function main(): void {
  const { values: flags } = parseArgs({ options: { seeds: { type: "string" }, failures: { type: "string" }, "first-seed": { type: "string" }, case: { type: "string" } } });
  const seeds = numberFlag("seeds", flags.seeds, 30, { integer: true, min: 2 });
  const failures = numberFlag("failures", flags.failures, 40, { integer: true, min: 2 });
  const firstSeed = numberFlag("first-seed", flags["first-seed"], 0, { integer: true, min: 0 });
  const rows: string[][] = [];
  const lines: string[] = [];
  for (const scenario of chosenScenarios(flags.case)) {
    const result = runScenario(scenario, seeds, failures, firstSeed);
    const s = summarise(result);
    const within = Math.abs(s.ratio - 1) <= 0.2;
    rows.push([
      scenario.name,
      String(scenario.checkpointSeconds),
      String(scenario.mtbfSeconds),
      fmt(scenario.checkpointSeconds / scenario.mtbfSeconds, 3),
      fmt(result.young, 4),
      fmt(result.daly, 4),
      `${fmt(s.optimum, 4)} [${fmt(s.interval[0], 4)}, ${fmt(s.interval[1], 4)}]`,
      fmt(s.ratio, 3),
      within ? "yes" : "no",
      `${fmt(100 * s.overheadAtYoung, 3)}%`,
      `${fmt(100 * s.overheadAtOptimum, 3)}%`,
      Number.isNaN(s.p) ? "same point" : fmt(s.p, 3),
      scenario.note,
    ]);
    const key = `checkpoint_interval.${scenario.name}`;
    lines.push(`${key}.young_s=${fmt(result.young, 6)}`, `${key}.daly_s=${fmt(result.daly, 6)}`, `${key}.optimum_s=${fmt(s.optimum, 6)}`, `${key}.ratio=${fmt(s.ratio, 4)}`);
  }
  process.stdout.write(
    formatTable(
      ["case", "C s", "M s", "C/M", "Young s", "Daly s", "simulated optimum s [95%]", "opt/Young", "within 20%", "overhead at Young", "overhead at opt", "Wilcoxon p", "assumptions"],
      rows,
    ) + "\n",
  );
  process.stdout.write(`seeds=${seeds}\nfirst_seed=${firstSeed}\nfailures_per_run=${failures}\n${lines.join("\n")}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
