/**
 * The Fashion-MNIST check, made well-posed by record and replay:
 * "on the same seeds, ASHA must reach FIFO's best accuracy within 0.5 points
 * using at most 40% of its CPU-seconds".
 *
 *   npx tsx benchmarks/fashion-mnist/asha-check.ts record --seed 0       # live random+FIFO, every trial to the end (~6-15 min on 2 loaded cores)
 *   npx tsx benchmarks/fashion-mnist/asha-check.ts live-asha --seed 0    # live random+ASHA, same seed: backs the replay
 *   npx tsx benchmarks/fashion-mnist/asha-check.ts check                  # every recorded seed: ASHA replayed on its recording
 *
 * Why replay measures it. Random search with seed s proposes the same configs in
 * the same order whatever the scheduler (it never looks at results), trial i's
 * random stream is rngFor(s, "trial", t_i) under any scheduler, and a trial's
 * training is a deterministic function of its config and stream (data order,
 * initial weights and dropout come from the stream; wasm kernels are
 * single-threaded). So the first k epochs of a trial that ASHA runs are exactly
 * the first k epochs the FIFO recording holds for that trial, and ASHA's run is
 * the FIFO recording cut short where ASHA stops each trial. The replay charges
 * each step the CPU-seconds it was measured to take (`step_cpu_seconds`, the
 * worker's CPU time during the step), not the loaded machine's wall time.
 * `live-asha` runs the real thing once, and `check` compares it with the replay
 * trial by trial (iterations reached, accuracies, CPU-seconds).
 *
 * Sizes (fixed, so recordings from different sessions compare): 32 trials, the MLP,
 * 2,048 training rows and 1,000 validation rows (held out of the training file),
 * one step = one epoch, 12 epochs. ASHA: grace 1 epoch, reduction factor 3, maxT 12
 * (rungs 1, 3, 9), 2 trials at a time.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ASHAScheduler, FIFOScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { OptionError, type Objective, type Scheduler, type TrialView } from "../../core/contracts/index.ts";
import { parseNumberText } from "../../core/errors/index.ts";
import { tune } from "../../real-backend/index.ts";
import { loadExperiment, recordedObjective } from "../../results/index.ts";
import { simulate } from "../../simulator/index.ts";
import { formatTable, median } from "../stats/index.ts";
import { fashionMnistSpace } from "./space.ts";

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: "string", default: "0" },
    out: { type: "string", default: "/work/recordings/fashion-mnist-asha-check" },
    "grace-periods": { type: "string", default: "1,2,3" },
    "reduction-factors": { type: "string", default: "2,3,4" },
  },
});
const mode = positionals[0];
if (mode !== "record" && mode !== "live-asha" && mode !== "check") throw new OptionError("mode", `give record, live-asha or check, got ${mode ?? "nothing"}`);
const seed = parseNumberText("--seed", flags.seed as string, { integer: true, min: 0 });
const outDir = resolve(flags.out as string);

const TRIALS = 32;
const EPOCHS = 12;
const CPUS = 2;
const SIZES = { trainRows: 2048, validationRows: 1000, batchesPerStep: 0, models: ["mlp"] } as const;
const space = fashionMnistSpace(SIZES);
const TRAINABLE = resolve(import.meta.dirname, "../../tfjs/fashion-mnist/trainable.ts");
const METRIC = "accuracy";
const common = { metric: METRIC, mode: "max" } as const;
const asha = (gracePeriod = 1, reductionFactor = 3) => new ASHAScheduler({ ...common, maxT: EPOCHS, gracePeriod, reductionFactor, seed });
const dirOf = (method: "fifo" | "asha", s: number) => join(outDir, `${method}-seed${s}`);

async function live(method: "fifo" | "asha", scheduler: Scheduler): Promise<void> {
  const dir = dirOf(method, seed);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const out = await tune({
    trainable: { module: TRAINABLE },
    name: `${method}-seed${seed}`,
    storagePath: dir,
    space,
    ...common,
    trials: TRIALS,
    searcher: new RandomSearch(space, { ...common, seed }),
    scheduler,
    seed,
    maxIterations: EPOCHS,
    resources: { cpu: 1, gpu: 0 },
    capacity: { cpu: CPUS, gpu: 0 },
    progress: false,
  });
  const failed = out.trials.filter((t) => t.status === "ERROR");
  console.log(
    `live method=random+${method} seed=${seed} best_accuracy=${best(out.trials).toFixed(4)} cpu_s=${cpu(out.trials).toFixed(1)} ` +
      `wall_s=${((performance.now() - started) / 1000).toFixed(1)} trials=${out.trials.length} results=${out.trials.reduce((a, t) => a + t.history.length, 0)} failed=${failed.length} dir=${dir}`,
  );
  for (const t of failed) console.log(`  ${t.id} failed: ${t.errorMessage}`);
}

function best(trials: readonly TrialView[]): number {
  let b = 0;
  for (const t of trials) for (const r of t.history) b = Math.max(b, Number(r.metrics[METRIC] ?? 0));
  return b;
}
function cpu(trials: readonly TrialView[]): number {
  let sum = 0;
  for (const t of trials) for (const r of t.history) sum += Number(r.metrics["step_cpu_seconds"] ?? 0);
  return sum;
}

interface Replayed {
  readonly trials: readonly TrialView[];
  readonly best: number;
  readonly cpu: number;
}

/**
 * Trials of seed s's recording that ran all EPOCHS, counted from t00000 up to the first that did not:
 * 32 for a finished recording. Random search proposes configs in order, so the first k trials of a
 * recording are exactly what random search with `trials: k` proposes: a recording cut short still
 * measures the same check with k trials.
 */
function completePrefix(s: number): number {
  const byId = new Map(loadExperiment(dirOf("fifo", s)).trials.map((t) => [t.id, t.results.length]));
  let k = 0;
  while (k < TRIALS && (byId.get(`t${String(k).padStart(5, "0")}`) ?? 0) >= EPOCHS) k++;
  return k;
}

/** random+scheduler with k trials replayed on seed s's FIFO recording; each step takes its recorded CPU-seconds on one of CPUS slots. */
function replay(s: number, scheduler: Scheduler, k: number = prefixes.get(s) ?? TRIALS): Replayed {
  const recorded = recordedObjective(dirOf("fifo", s)); // unrecorded configs are errors: the searcher must propose exactly the recorded ones
  const objective: Objective = {
    ...recorded,
    step(state, config, context) {
      const out = recorded.step(state as never, config, context);
      return { ...out, seconds: out.metrics["step_cpu_seconds"] as number };
    },
  };
  const run = simulate({
    objective,
    space,
    ...common,
    trials: k,
    maxIterations: EPOCHS,
    seed: s,
    searcher: new RandomSearch(space, { ...common, seed: s }),
    scheduler,
    resources: { cpu: 1, gpu: 0 },
    cluster: { nodeTypes: [{ name: "cpu", count: 1, cpus: CPUS, gpus: 0 }] },
  });
  const failed = run.trials.filter((t) => t.status === "ERROR");
  if (failed.length > 0) throw new Error(`replay of seed ${s}: ${failed.length} trials failed, first: ${failed[0]?.errorMessage}`);
  return { trials: run.trials, best: best(run.trials), cpu: cpu(run.trials) };
}

const pct = (x: number) => (100 * x).toFixed(2);

/** CPU-seconds of the steps finished (simulated clock) up to the first result at or above `target`; Infinity if none. */
function cpuToReach(trials: readonly TrialView[], target: number): number {
  const rows = trials.flatMap((t) => t.history).sort((a, b) => a.time - b.time);
  let sum = 0;
  for (const r of rows) {
    sum += Number(r.metrics["step_cpu_seconds"] ?? 0);
    if (Number(r.metrics[METRIC]) >= target) return sum;
  }
  return Number.POSITIVE_INFINITY;
}

/** How many trials ran at least 1, 3, 9 and 12 epochs (ASHA's rungs and maxT). */
function reached(trials: readonly TrialView[]): string {
  return [1, 3, 9, EPOCHS].map((e) => `${e}:${trials.filter((t) => t.history.length >= e).length}`).join(",");
}
const prefixes = new Map<number, number>();

function check(): void {
  const seeds = existsSync(outDir)
    ? readdirSync(outDir)
        .map((d) => /^fifo-seed(\d+)$/.exec(d)?.[1])
        .filter((d): d is string => d !== undefined)
        .map(Number)
        .sort((a, b) => a - b)
    : [];
  for (const s of seeds) prefixes.set(s, completePrefix(s));
  seeds.splice(0, seeds.length, ...seeds.filter((s) => (prefixes.get(s) as number) >= 9));
  if (seeds.length === 0) throw new OptionError("--out", `${outDir} holds no recording with 9 or more complete trials (run "record --seed N" first)`);
  const rows: string[][] = [];
  let passed = 0;
  const ratios: number[] = [];
  const gaps: number[] = [];
  const reachRatios: number[] = [];
  for (const s of seeds) {
    const fifo = replay(s, new FIFOScheduler());
    const a = replay(s, asha());
    const gap = fifo.best - a.best;
    const ratio = a.cpu / fifo.cpu;
    const ok = gap <= 0.005 && ratio <= 0.4;
    if (ok) passed++;
    const toReach = cpuToReach(a.trials, fifo.best - 0.005) / fifo.cpu;
    reachRatios.push(toReach);
    console.log(`seed=${s} asha_cpu_to_reach_fifo_best_minus_0.5pt_ratio=${toReach.toFixed(4)} ${toReach <= 0.4 ? "PASS" : "FAIL"} asha_trials_reaching_epoch(epoch:trials)=${reached(a.trials)} asha_epochs=${a.trials.reduce((n, t) => n + t.history.length, 0)} fifo_epochs=${fifo.trials.reduce((n, t) => n + t.history.length, 0)}`);
    ratios.push(ratio);
    gaps.push(gap);
    rows.push([String(s), String(prefixes.get(s)), pct(fifo.best), pct(a.best), (100 * gap).toFixed(2), fifo.cpu.toFixed(0), a.cpu.toFixed(0), ratio.toFixed(3), ok ? "PASS" : "FAIL"]);
    console.log(`seed=${s} trials=${prefixes.get(s)} fifo_best=${fifo.best} asha_best=${a.best} fifo_cpu_s=${fifo.cpu.toFixed(1)} asha_cpu_s=${a.cpu.toFixed(1)} cpu_ratio=${ratio.toFixed(4)} ${ok ? "PASS" : "FAIL"}`);
    explain(s, fifo);
    if (existsSync(dirOf("asha", s))) compareLive(s, a);
  }
  console.log(
    "\n" +
      formatTable(
        ["seed", "trials", "FIFO best %", "ASHA best %", "gap (points)", "FIFO CPU-s", "ASHA CPU-s", "ASHA/FIFO CPU", "within 0.5 pt at <= 40%"],
        rows,
      ),
  );
  console.log(`asha_within_0.5_points_at_40pct_cpu=${passed}/${seeds.length}`);
  console.log(`median_cpu_ratio=${median(ratios).toFixed(4)}`);
  console.log(`reached_within_0.5_points_at_40pct_cpu=${reachRatios.filter((r) => r <= 0.4).length}/${seeds.length} median_cpu_to_reach_ratio=${median(reachRatios).toFixed(4)}`);
  console.log(`median_gap_points=${(100 * median(gaps)).toFixed(2)}`);
  sensitivity(seeds);
}

/** Where FIFO's best trial ranked at each ASHA rung (1 = best of the 32 at that epoch): whether an early rung could cut it. */
function explain(s: number, fifo: Replayed): void {
  const winner = fifo.trials.reduce((w, t) => (Math.max(...t.history.map((r) => r.metrics[METRIC] as number)) > Math.max(...w.history.map((r) => r.metrics[METRIC] as number)) ? t : w));
  const ranks = [1, 3, 9].map((rung) => {
    const at = (t: TrialView) => t.history[rung - 1]?.metrics[METRIC] ?? 0;
    return `${rung}:${1 + fifo.trials.filter((t) => at(t) > at(winner)).length}`;
  });
  console.log(`  seed=${s} fifo_best_trial=${winner.id} lr=${Number(winner.config["lr"]).toExponential(2)} batch=${winner.config["batchSize"]} hidden=${winner.config["hidden"]} rank_at_rung(epoch:rank)=${ranks.join(",")}`);
}

/** The live ASHA run of the same seed against its replay: per trial, epochs run and accuracies. */
function compareLive(s: number, replayed: Replayed): void {
  const liveRun = loadExperiment(dirOf("asha", s));
  const recording = loadExperiment(dirOf("fifo", s));
  let sameEpochs = 0;
  let sameAccuracies = 0;
  let results = 0;
  let liveCpu = 0;
  let liveBest = 0;
  const differ: string[] = [];
  // A live run still going (or cut short) is compared on the trials it has ended so far.
  const ended = liveRun.trials.filter((t) => t.status === "TERMINATED");
  for (const t of ended) {
    const rep = replayed.trials.find((r) => r.id === t.id);
    if (rep?.history.length === t.results.length) sameEpochs++;
    else differ.push(`${t.id}:live ${t.results.length} replay ${rep?.history.length ?? 0}`);
  }
  for (const t of liveRun.trials) {
    const rec = recording.trials.find((r) => r.id === t.id);
    for (const [i, r] of t.results.entries()) {
      results++;
      liveCpu += Number(r.metrics["step_cpu_seconds"] ?? 0);
      liveBest = Math.max(liveBest, Number(r.metrics[METRIC]));
      if (rec?.results[i]?.metrics[METRIC] === r.metrics[METRIC]) sameAccuracies++;
    }
  }
  console.log(
    `  live_vs_replay seed=${s} (live run ${liveRun.finished ? "finished" : "NOT finished"}, ${liveRun.trials.length} trials started, ${ended.length} ended): ended trials with the same epochs run as in the replay ${sameEpochs}/${ended.length}; live accuracies equal to the FIFO recording's ${sameAccuracies}/${results}; ` +
      `best live ${pct(liveBest)}% replay ${pct(replayed.best)}%; CPU-s live ${liveCpu.toFixed(1)} replay ${replayed.cpu.toFixed(1)}` +
      (differ.length > 0 ? `; differing: ${differ.join(" ")}` : ""),
  );
  console.log(`live_vs_replay.seed${s}.same_epochs=${sameEpochs}/${ended.length}`);
  console.log(`live_vs_replay.seed${s}.equal_accuracies=${sameAccuracies}/${results}`);
}

/** ASHA's grace period and reduction factor, replayed: how the outcome depends on them (median over seeds). */
function sensitivity(seeds: readonly number[]): void {
  const graces = (flags["grace-periods"] as string).split(",").map(Number);
  const factors = (flags["reduction-factors"] as string).split(",").map(Number);
  const rows: string[][] = [];
  for (const g of graces) {
    for (const f of factors) {
      const out = seeds.map((s) => {
        const fifo = replay(s, new FIFOScheduler());
        const a = replay(s, asha(g, f));
        return { gap: fifo.best - a.best, ratio: a.cpu / fifo.cpu };
      });
      const pass = out.filter((o) => o.gap <= 0.005 && o.ratio <= 0.4).length;
      rows.push([String(g), String(f), (100 * median(out.map((o) => o.gap))).toFixed(2), median(out.map((o) => o.ratio)).toFixed(3), `${pass}/${seeds.length}`]);
    }
  }
  console.log("\nASHA settings replayed (median over seeds):\n" + formatTable(["grace (epochs)", "reduction factor", "gap (points)", "ASHA/FIFO CPU", "pass"], rows));
}

if (mode === "record") await live("fifo", new FIFOScheduler());
else if (mode === "live-asha") await live("asha", asha());
else check();
