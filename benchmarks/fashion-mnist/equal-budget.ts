/**
 * Issue 11 §2's comparisons at one fixed budget, on the ASHA check's sizes (fixed-budget.ts:
 * MLP, 2,048 training and 1,000 validation rows, 12 epochs, 2 trials at a time):
 *
 *   npx tsx benchmarks/fashion-mnist/equal-budget.ts tpe-asha --seed 0   # live TPE+ASHA, 32 trials
 *   npx tsx benchmarks/fashion-mnist/equal-budget.ts pbt --seed 0        # live PBT, population 8, 12 epochs per member
 *   npx tsx benchmarks/fashion-mnist/equal-budget.ts fifo8 --seed 5      # live random+FIFO, 8 trials (only for a seed without a FIFO recording)
 *   npx tsx benchmarks/fashion-mnist/equal-budget.ts report              # the tables, from what is recorded under --out
 *
 * Part 1, 32 trials of at most 12 epochs each: random+FIFO is the recording
 * (`asha-check.ts record --seed s`); random+ASHA is that recording replayed under ASHA
 * (exact: random search proposes the same configs whatever the scheduler, and training
 * is deterministic given config and stream; asha-check.ts `check` compares the replay
 * with a live ASHA run); TPE+ASHA must run live, because TPE's proposals depend on
 * the results. ASHA: grace 1, reduction factor 3, maxT 12.
 *
 * Part 2, population 8 and 12 epochs per member: PBT (every 2 epochs the bottom
 * quarter clones the top quarter's weights and optimizer state and perturbs lr and
 * batchSize; synchronous, as Ray's `synch=True`) against random+FIFO with the same
 * 8 initial configs. Random search with seed s proposes the same first 8 configs as
 * the 32-trial recording, so random+FIFO-8 is the recording's first 8 trials (or a
 * live `fifo8` run for a seed without one). Paired by seed: Wilcoxon signed-rank
 * from 5 seeds.
 *
 * Costs: best validation accuracy (any trial, any epoch), CPU-seconds (every step's
 * `step_cpu_seconds`), epochs trained (a cost the machine's load does not change),
 * and wall seconds (to the last result; on a shared machine they measure the load too).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ASHAScheduler, FIFOScheduler, PopulationBasedTraining } from "../../algorithms/schedulers/index.ts";
import { RandomSearch, TPESearcher } from "../../algorithms/searchers/index.ts";
import { OptionError, type Scheduler, type Searcher } from "../../core/contracts/index.ts";
import { parseNumberText } from "../../core/errors/index.ts";
import { loadExperiment } from "../../results/index.ts";
import { formatTable, median, quantile, wilcoxonSignedRank } from "../stats/index.ts";
import {
  completePrefix,
  CPUS,
  cpuToReach,
  DEFAULT_OUT,
  EPOCHS,
  fixedSpace as space,
  measureDir,
  recordedSeeds,
  recordedWallSeconds,
  replayRecording,
  runDir,
  TRIALS,
  type DirMeasure,
} from "./fixed-budget.ts";
import { liveFashionMnistRun, maximiseAccuracy as common } from "./live-run.ts";
import { BATCH_SIZES } from "./space.ts";

const MODES = ["tpe-asha", "pbt", "fifo8", "report"] as const;
const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: "string", default: "0" },
    out: { type: "string", default: DEFAULT_OUT },
  },
});
const mode = positionals[0] as (typeof MODES)[number] | undefined;
if (mode === undefined || !MODES.includes(mode)) throw new OptionError("mode", `give ${MODES.join(", ")}, got ${mode ?? "nothing"}`);
const seed = parseNumberText("--seed", flags.seed as string, { integer: true, min: 0 });
const outDir = resolve(flags.out as string);

const POPULATION = 8;
const PERTURBATION_INTERVAL = 2;
const asha = (s: number) => new ASHAScheduler({ ...common, maxT: EPOCHS, gracePeriod: 1, reductionFactor: 3, seed: s });
const dir = (method: string, s: number) => runDir(outDir, method, s);

async function live(method: string, searcher: Searcher, scheduler: Scheduler, trials: number): Promise<void> {
  await liveFashionMnistRun({ name: `${method}-seed${seed}`, dir: dir(method, seed), space, searcher, scheduler, seed, trials, maxIterations: EPOCHS, cpus: CPUS });
}

const pct = (x: number) => (100 * x).toFixed(2);
const iqr = (xs: number[], f: (x: number) => string) => `${f(median(xs))} [${f(quantile(xs, 0.25))}, ${f(quantile(xs, 0.75))}]`;

interface Row {
  readonly method: string;
  readonly seed: number;
  readonly best: number;
  readonly cpu: number;
  readonly results: number;
  /** NaN: a replay, no wall time of its own. */
  readonly wall: number;
}

function part1(): void {
  const seeds = recordedSeeds(outDir, "fifo").filter(
    (s) => completePrefix(dir("fifo", s)) === TRIALS && existsSync(dir("tpe+asha", s)) && loadExperiment(dir("tpe+asha", s)).finished,
  );
  if (seeds.length === 0) {
    console.log(`part 1: no seed has both a full FIFO recording (fifo-seedS) and a finished TPE+ASHA run (tpe+asha-seedS) under ${outDir}`);
    return;
  }
  const rows: Row[] = [];
  const checks: string[][] = [];
  for (const s of seeds) {
    const fifo = replayRecording(dir("fifo", s), s, new FIFOScheduler(), TRIALS);
    const a = replayRecording(dir("fifo", s), s, asha(s), TRIALS);
    // The live ASHA run's wall time, where one finished on this seed (the replay has none).
    const liveAsha = existsSync(dir("asha", s)) ? loadExperiment(dir("asha", s)) : undefined;
    const ashaWall = liveAsha?.finished === true ? recordedWallSeconds(dir("asha", s)) : Number.NaN;
    const tpe: DirMeasure = measureDir(dir("tpe+asha", s));
    rows.push({ method: "random+FIFO (recorded)", seed: s, best: fifo.best, cpu: fifo.cpu, results: fifo.results, wall: recordedWallSeconds(dir("fifo", s)) });
    rows.push({ method: "random+ASHA (replayed)", seed: s, best: a.best, cpu: a.cpu, results: a.results, wall: ashaWall });
    rows.push({ method: "TPE+ASHA (live)", seed: s, best: tpe.best, cpu: tpe.cpu, results: tpe.results, wall: tpe.wall });
    const target = fifo.best - 0.005;
    const tpeTrials = loadExperiment(dir("tpe+asha", s)).trials.map((t) => ({ history: t.results })) as never;
    for (const [name, reach, whole] of [
      ["random+ASHA", cpuToReach(a.trials, target), a.cpu],
      ["TPE+ASHA", cpuToReach(tpeTrials, target), tpe.cpu],
    ] as const) {
      const r = reach / fifo.cpu;
      checks.push([String(s), name, Number.isFinite(r) ? r.toFixed(3) : "never", (whole / fifo.cpu).toFixed(3), Number.isFinite(r) && r <= 0.4 ? "PASS" : "FAIL"]);
      console.log(`check seed=${s} method=${name} cpu_to_reach_fifo_best_minus_0.5pt_ratio=${Number.isFinite(r) ? r.toFixed(4) : "never"} whole_run_cpu_ratio=${(whole / fifo.cpu).toFixed(4)}`);
    }
  }
  console.log(`\nPart 1: 32 trials x at most ${EPOCHS} epochs, seeds ${seeds.join(",")}`);
  console.log(
    formatTable(
      ["method", "seed", "best val. acc. %", "CPU-s", "epochs", "wall s"],
      rows.map((r) => [r.method, String(r.seed), pct(r.best), r.cpu.toFixed(0), String(r.results), Number.isNaN(r.wall) ? "(replay)" : r.wall.toFixed(0)]),
    ),
  );
  const methods = [...new Set(rows.map((r) => r.method))];
  console.log(
    "\n" +
      formatTable(
        ["method", "best % median [IQR]", "CPU-s median [IQR]", "epochs median", "wall s median"],
        methods.map((m) => {
          const rs = rows.filter((r) => r.method === m);
          const walls = rs.map((r) => r.wall).filter((w) => !Number.isNaN(w));
          return [m, iqr(rs.map((r) => r.best), pct), iqr(rs.map((r) => r.cpu), (x) => x.toFixed(0)), median(rs.map((r) => r.results)).toFixed(0), walls.length > 0 ? median(walls).toFixed(0) : "(replay)"];
        }),
      ),
  );
  for (const m of methods) {
    const key = m.split(" ")[0];
    const rs = rows.filter((r) => r.method === m);
    console.log(`${key}.median_best_accuracy=${median(rs.map((r) => r.best)).toFixed(4)}`);
    console.log(`${key}.median_cpu_seconds=${median(rs.map((r) => r.cpu)).toFixed(1)}`);
  }
  console.log("\nASHA within 0.5 points of FIFO's best, CPU as a share of FIFO's:\n" + formatTable(["seed", "method", "CPU until within 0.5 pt", "whole run", "<= 0.4 until within"], checks));
}

/** Random+FIFO with population 8 on seed s: the recording's first 8 trials, else a live fifo8 run. */
function fifoPopulation(s: number): (DirMeasure & { source: string }) | undefined {
  if (existsSync(dir("fifo", s)) && completePrefix(dir("fifo", s)) >= POPULATION) {
    const r = replayRecording(dir("fifo", s), s, new FIFOScheduler(), POPULATION);
    const finalBest = Math.max(...r.trials.map((t) => Number(t.history.at(-1)?.metrics["accuracy"] ?? 0)));
    return { best: r.best, finalBest, cpu: r.cpu, results: r.results, wall: Number.NaN, trials: POPULATION, source: "recording, first 8 trials" };
  }
  if (existsSync(dir("fifo8", s)) && loadExperiment(dir("fifo8", s)).finished) return { ...measureDir(dir("fifo8", s)), source: "live fifo8" };
  return undefined;
}

function part2(): void {
  const seeds = recordedSeeds(outDir, "pbt8").filter((s) => loadExperiment(dir("pbt8", s)).finished && fifoPopulation(s) !== undefined);
  if (seeds.length === 0) {
    console.log(`part 2: no seed has both a finished PBT run (pbt8-seedS) and a random+FIFO-8 (fifo-seedS or fifo8-seedS) under ${outDir}`);
    return;
  }
  const rows: string[][] = [];
  const pbtBest: number[] = [];
  const fifoBest: number[] = [];
  const pbtCpu: number[] = [];
  const fifoCpu: number[] = [];
  const pbtFinal: number[] = [];
  const fifoFinal: number[] = [];
  for (const s of seeds) {
    const p = measureDir(dir("pbt8", s));
    const f = fifoPopulation(s) as DirMeasure & { source: string };
    pbtBest.push(p.best);
    fifoBest.push(f.best);
    pbtCpu.push(p.cpu);
    fifoCpu.push(f.cpu);
    pbtFinal.push(p.finalBest);
    fifoFinal.push(f.finalBest);
    rows.push([String(s), pct(p.best), pct(p.finalBest), p.cpu.toFixed(0), String(p.results), p.wall.toFixed(0), pct(f.best), pct(f.finalBest), f.cpu.toFixed(0), String(f.results), f.source]);
    console.log(`pbt_vs_fifo seed=${s} pbt_best=${p.best} fifo_best=${f.best} pbt_cpu_s=${p.cpu.toFixed(1)} fifo_cpu_s=${f.cpu.toFixed(1)}`);
  }
  console.log(`\nPart 2: population ${POPULATION}, ${EPOCHS} epochs per member, PBT every ${PERTURBATION_INTERVAL} epochs; seeds ${seeds.join(",")}`);
  console.log(
    formatTable(
      ["seed", "PBT best %", "PBT final best %", "PBT CPU-s", "PBT epochs", "PBT wall s", "FIFO best %", "FIFO final best %", "FIFO CPU-s", "FIFO epochs", "FIFO from"],
      rows,
    ),
  );
  console.log(`pbt8.median_best_accuracy=${median(pbtBest).toFixed(4)} iqr=[${quantile(pbtBest, 0.25).toFixed(4)}, ${quantile(pbtBest, 0.75).toFixed(4)}]`);
  console.log(`fifo8.median_best_accuracy=${median(fifoBest).toFixed(4)} iqr=[${quantile(fifoBest, 0.25).toFixed(4)}, ${quantile(fifoBest, 0.75).toFixed(4)}]`);
  console.log(`pbt8.median_cpu_seconds=${median(pbtCpu).toFixed(1)} fifo8.median_cpu_seconds=${median(fifoCpu).toFixed(1)}`);
  console.log(`pbt_better_seeds=${pbtBest.filter((b, i) => b > (fifoBest[i] as number)).length}/${seeds.length} ties=${pbtBest.filter((b, i) => b === fifoBest[i]).length}`);
  if (seeds.length >= 5) {
    const w = wilcoxonSignedRank(pbtBest, fifoBest);
    console.log(`wilcoxon_pbt_vs_fifo_best_accuracy p=${w.p.toFixed(4)} n_nonzero=${w.n} exact=${w.exact}`);
    const wf = wilcoxonSignedRank(pbtFinal, fifoFinal);
    console.log(`wilcoxon_pbt_vs_fifo_final_best_accuracy p=${wf.p.toFixed(4)} n_nonzero=${wf.n} exact=${wf.exact} pbt_better_seeds=${pbtFinal.filter((b, i) => b > (fifoFinal[i] as number)).length}/${seeds.length}`);
  } else console.log(`wilcoxon: ${seeds.length} seeds, fewer than 5: no rank test (the per-seed rows are the evidence)`);
}

if (mode === "tpe-asha") await live("tpe+asha", new TPESearcher(space, { ...common, seed, nStartupTrials: 8 }), asha(seed), TRIALS);
else if (mode === "pbt") {
  const pbt = new PopulationBasedTraining({
    ...common,
    seed,
    // In epochs: the default time attribute is time_total_s, which would make the interval (training) seconds.
    timeAttr: "training_iteration",
    perturbationInterval: PERTURBATION_INTERVAL,
    hyperparamMutations: { lr: space["lr"] as never, batchSize: BATCH_SIZES },
    synch: true,
  });
  await live("pbt8", new RandomSearch(space, { ...common, seed }), pbt, POPULATION);
} else if (mode === "fifo8") await live("fifo8", new RandomSearch(space, { ...common, seed }), new FIFOScheduler(), POPULATION);
else {
  part1();
  part2();
}
