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
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ASHAScheduler, FIFOScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { OptionError, type Scheduler, type TrialView } from "../../core/contracts/index.ts";
import { parseNumberText } from "../../core/errors/index.ts";
import { loadExperiment } from "../../results/index.ts";
import { formatTable, median } from "../stats/index.ts";
import {
  completePrefix,
  CPUS,
  cpuToReach,
  DEFAULT_OUT,
  EPOCHS,
  fixedSpace as space,
  recordedSeeds,
  replayRecording,
  runDir,
  TRIALS,
  type Replayed,
} from "./fixed-budget.ts";
import { ACCURACY as METRIC, liveFashionMnistRun, maximiseAccuracy as common } from "./live-run.ts";

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: "string", default: "0" },
    out: { type: "string", default: DEFAULT_OUT },
    "grace-periods": { type: "string", default: "1,2,3" },
    "reduction-factors": { type: "string", default: "2,3,4" },
  },
});
const mode = positionals[0];
if (mode !== "record" && mode !== "live-asha" && mode !== "check") throw new OptionError("mode", `give record, live-asha or check, got ${mode ?? "nothing"}`);
const seed = parseNumberText("--seed", flags.seed as string, { integer: true, min: 0 });
const outDir = resolve(flags.out as string);

/** ASHA as the live run builds it with seed s (one bracket, so the seed draws nothing; given for exactness). */
const asha = (gracePeriod = 1, reductionFactor = 3, s = seed) => new ASHAScheduler({ ...common, maxT: EPOCHS, gracePeriod, reductionFactor, seed: s });
const dirOf = (method: "fifo" | "asha", s: number) => runDir(outDir, method, s);

async function live(method: "fifo" | "asha", scheduler: Scheduler): Promise<void> {
  await liveFashionMnistRun({
    name: `${method}-seed${seed}`,
    dir: dirOf(method, seed),
    space,
    searcher: new RandomSearch(space, { ...common, seed }),
    scheduler,
    seed,
    trials: TRIALS,
    maxIterations: EPOCHS,
    cpus: CPUS,
  });
}

/** random+scheduler with k trials replayed on seed s's FIFO recording. */
function replay(s: number, scheduler: Scheduler, k: number = prefixes.get(s) ?? TRIALS): Replayed {
  return replayRecording(dirOf("fifo", s), s, scheduler, k);
}

const pct = (x: number) => (100 * x).toFixed(2);

/** How many trials ran at least 1, 3, 9 and 12 epochs (ASHA's rungs and maxT). */
function reached(trials: readonly TrialView[]): string {
  return [1, 3, 9, EPOCHS].map((e) => `${e}:${trials.filter((t) => t.history.length >= e).length}`).join(",");
}
const prefixes = new Map<number, number>();

function check(): void {
  const seeds = recordedSeeds(outDir, "fifo");
  for (const s of seeds) prefixes.set(s, completePrefix(dirOf("fifo", s)));
  seeds.splice(0, seeds.length, ...seeds.filter((s) => (prefixes.get(s) as number) >= 9));
  if (seeds.length === 0) throw new OptionError("--out", `${outDir} holds no recording with 9 or more complete trials (run "record --seed N" first)`);
  const rows: string[][] = [];
  let passed = 0;
  const ratios: number[] = [];
  const gaps: number[] = [];
  const reachRatios: number[] = [];
  for (const s of seeds) {
    const fifo = replay(s, new FIFOScheduler());
    const a = replay(s, asha(1, 3, s));
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
        const a = replay(s, asha(g, f, s));
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
