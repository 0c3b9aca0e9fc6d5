/**
 * Scale (issue 14): cost per result at many trials and big clusters, heap per
 * stored result, and ms per suggestion of TPE and GP-BO. Prints `name=value`
 * lines; ratios are against FIFO (or the smaller size) measured in the same run.
 *
 *   npx tsx benchmarks/perf/scale.ts                      # every section, the 10,000-trial size
 *   npx tsx benchmarks/perf/scale.ts --large              # also 100,000 trials on 10,000 GPUs
 *   npx tsx benchmarks/perf/scale.ts --only sim,memory,tpe,gp,optuna
 *   npx tsx benchmarks/perf/scale.ts --schedulers fifo,asha-stopping
 *   npx tsx benchmarks/perf/scale.ts --only sim --trials 2000 --gpus 200   # one custom size (profiling)
 *   npx tsx benchmarks/perf/scale.ts --budget-s 600       # CPU seconds one simulation may take (default 300)
 *   npx tsx benchmarks/perf/scale.ts --only sim --large --scheduler-work   # also the schedulers' own work (their hooks timed)
 *   node --expose-gc --import tsx benchmarks/perf/scale.ts --only memory   # exact heap figure
 *   npx tsx benchmarks/perf/scale.ts --only tpe,gp --baseline e4d3ad0   # also REF's TPE and GP, same process, turn about
 *
 * Sim lines per scheduler: results/s, CPU µs per result and per trial, the ratios to FIFO
 * (results/s and cost per trial) and, with --large, the growth of the CPU costs from the
 * 10,000-trial size (O(log n) per result: about log(10n)/log(n) = 1.25; O(n): 10).
 *
 * Simulations: random search on Hartmann6 learning curves, 27 iterations per
 * trial, seed 1, one GPU per trial; every scheduler ends trials at 27.
 * Each simulation runs in its own process (warm-up first) with a time budget; ratios
 * compare runs of the same invocation. The machine these figures come from is
 * shared (2 cores, several agents): read ratios.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { defaultSimSchedulerNames, type SimRate, type SimScale } from "./scale-sim.ts";
import { heapPerResult } from "./scale-memory.ts";
import { baselineFactories, msPerSuggestion, searcherFactories, type SearcherName, type SuggestionTime } from "./scale-searchers.ts";

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const only = new Set((flag("--only") ?? "sim,memory,tpe,gp,optuna").split(","));
const schedulers = (flag("--schedulers") ?? defaultSimSchedulerNames.join(",")).split(",");
const large = argv.includes("--large");
const budgetSeconds = Number(flag("--budget-s") ?? 300);
const schedulerWork = argv.includes("--scheduler-work");

/**
 * One simulation in a child process (scale-sim-one.ts), so a scheduler whose
 * cost still grows with the trial count cannot hold the whole benchmark: past
 * `--budget-s` CPU seconds (`ulimit -t`: on a shared machine a wall-clock limit
 * also counts the other processes' turns) it is reported as over budget; a wall
 * limit of ten times that catches a child that waits. Each child warms up first.
 */
function simThroughput(name: string, scale: SimScale): SimRate | undefined {
  const child = [process.execPath, "--import", "tsx", "benchmarks/perf/scale-sim-one.ts", name, String(scale.trials), String(scale.gpus), ...(schedulerWork ? ["--scheduler-work"] : [])];
  const run = spawnSync("/bin/sh", ["-c", `ulimit -t ${Math.ceil(budgetSeconds)} && exec "$@"`, "sh", ...child], {
    encoding: "utf8",
    timeout: budgetSeconds * 10_000,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (run.status !== 0) return undefined;
  return JSON.parse(run.stdout.trim().split("\n").pop() as string) as SimRate;
}

const usPerResult = (r: SimRate): number => (1e6 * r.cpuSeconds) / r.results;
const usPerTrial = (r: SimRate): number => (1e6 * r.cpuSeconds) / r.trials;
/** The scheduler's own CPU µs in the run (estimated: its share of wall time times the run's CPU time). */
const schedulerUs = (r: SimRate): number => (1e6 * (r.schedulerSeconds ?? 0) * r.cpuSeconds) / r.seconds;
const print = (name: string, value: number | string): void => console.log(`${name}=${typeof value === "number" ? round(value) : value}`);
function round(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(3) : v.toPrecision(3);
}

if (only.has("sim")) {
  const custom = flag("--trials");
  const scales: SimScale[] = custom
    ? [{ label: `${custom}_trials_${flag("--gpus") ?? 1000}_gpus`, trials: Number(custom), gpus: Number(flag("--gpus") ?? 1000) }]
    : [{ label: "10k_trials_1000_gpus", trials: 10_000, gpus: 1_000 }];
  if (large) scales.push({ label: "100k_trials_10000_gpus", trials: 100_000, gpus: 10_000 });
  // Placement: FIFO on a small cluster is the baseline of the big-cluster figures.
  const fifo256 = simThroughput("fifo", { label: "10k_trials_256_gpus", trials: 10_000, gpus: 256 });
  if (fifo256) {
    print("sim.fifo.10k_trials_256_gpus.results_per_s", fifo256.resultsPerSecond);
    print("sim.fifo.10k_trials_256_gpus.results_per_cpu_s", fifo256.resultsPerCpuSecond);
  }
  const first = new Map<string, SimRate>();
  for (const scale of scales) {
    let fifoRate: SimRate | undefined;
    for (const name of ["fifo", ...schedulers.filter((s) => s !== "fifo")]) {
      const key = `sim.${name}.${scale.label}`;
      const r = simThroughput(name, scale);
      if (!r) {
        print(`${key}.results_per_s`, `over_${budgetSeconds}_cpu_s`);
        continue;
      }
      print(`${key}.results_per_s`, r.resultsPerSecond);
      print(`${key}.results`, r.results);
      print(`${key}.wall_s`, r.seconds);
      // Per CPU second as well: on a shared machine wall time also counts other processes' turns.
      print(`${key}.results_per_cpu_s`, r.resultsPerCpuSecond);
      // CPU microseconds per result and per trial: the O(log n) check reads their growth between sizes.
      print(`${key}.cpu_us_per_result`, usPerResult(r));
      print(`${key}.cpu_us_per_trial`, usPerTrial(r));
      if (r.schedulerSeconds !== undefined) {
        // Share of the run's wall time inside the scheduler's hooks: a ratio, so it holds on a loaded machine;
        // times the run's CPU time, an estimate of the scheduler's own CPU µs.
        print(`${key}.scheduler_share`, r.schedulerSeconds / r.seconds);
        print(`${key}.scheduler_cpu_us_per_result`, schedulerUs(r) / r.results);
        print(`${key}.scheduler_cpu_us_per_trial`, schedulerUs(r) / r.trials);
      }
      if (name === "fifo") fifoRate = r;
      else if (fifoRate !== undefined) {
        print(`${key}.ratio_vs_fifo`, r.resultsPerSecond / fifoRate.resultsPerSecond);
        print(`${key}.cpu_ratio_vs_fifo`, r.resultsPerCpuSecond / fifoRate.resultsPerCpuSecond);
        // Early stopping makes fewer results per trial than FIFO (ASHA ~3.5 against 27), so its
        // fixed cost per trial weighs on results/s: per trial, >= 1 means no dearer than FIFO's trial.
        print(`${key}.cost_per_trial_ratio_vs_fifo`, usPerTrial(fifoRate) / usPerTrial(r));
      }
      if (scale === scales[0]) first.set(name, r);
      else if (first.has(name)) {
        const base = first.get(name) as SimRate;
        const small = (scales[0] as SimScale).label;
        print(`${key}.ratio_vs_${small}`, r.resultsPerSecond / base.resultsPerSecond);
        print(`${key}.cpu_ratio_vs_${small}`, r.resultsPerCpuSecond / base.resultsPerCpuSecond);
        // O(log n) per result: from n to 10n trials the cost grows by at most about log(10n)/log(n)
        // (1.25 from 10,000 to 100,000), memory effects aside; O(n) would be 10.
        print(`${key}.cpu_us_per_result_growth_vs_${small}`, usPerResult(r) / usPerResult(base));
        print(`${key}.cpu_us_per_trial_growth_vs_${small}`, usPerTrial(r) / usPerTrial(base));
        if (r.schedulerSeconds !== undefined && base.schedulerSeconds !== undefined) {
          print(`${key}.scheduler_cpu_us_per_result_growth_vs_${small}`, schedulerUs(r) / r.results / (schedulerUs(base) / base.results));
        }
        print(`${key}.log_n_growth_reference`, Math.log(scale.trials) / Math.log((scales[0] as SimScale).trials));
      }
      if (name === "fifo" && fifo256) {
        print(`${key}.ratio_vs_256_gpus`, r.resultsPerSecond / fifo256.resultsPerSecond);
        print(`${key}.cpu_ratio_vs_256_gpus`, r.resultsPerCpuSecond / fifo256.resultsPerCpuSecond);
      }
    }
  }
}

if (only.has("memory")) {
  const m = heapPerResult(2_000, 100);
  print("memory.results", m.results);
  print("memory.heap_bytes_per_result", m.bytesPerResult);
  print("memory.results_in_4gb_heap", Math.floor((4 * 2 ** 30) / m.bytesPerResult));
  if (!m.exact) print("memory.note", "run_with_node_--expose-gc_for_an_exact_figure");
}

// --baseline REF: the searchers of git revision REF timed in the same process, turn about.
const baselineRef = flag("--baseline");
const baseline = baselineRef !== undefined && (only.has("tpe") || only.has("gp")) ? await baselineFactories(baselineRef) : undefined;
/** Ours, then (with --baseline) the baseline's, median ms per suggestion. */
function timed(name: SearcherName, n: number, repeats: number, warmup: number): { ours: SuggestionTime; baseline?: SuggestionTime } {
  const factories = baseline ? [searcherFactories[name], baseline[name]] : [searcherFactories[name]];
  const [ours, old] = msPerSuggestion(factories, n, repeats, warmup) as [SuggestionTime, SuggestionTime | undefined];
  return old === undefined ? { ours } : { ours, baseline: old };
}
/** `key.ms_per_suggestion` (wall), `key.cpu_ms_per_suggestion`, `key.ratio_to_target` (of the CPU figure) and the baseline's. */
function printTimes(key: string, r: { ours: SuggestionTime; baseline?: SuggestionTime }, targetMs: number): void {
  print(`${key}.ms_per_suggestion`, r.ours.wallMs);
  print(`${key}.cpu_ms_per_suggestion`, r.ours.cpuMs);
  // <= 1 meets the target (CPU time: the machine these figures come from is shared).
  print(`${key}.ratio_to_target`, r.ours.cpuMs / targetMs);
  if (r.baseline === undefined) return;
  print(`${key}.baseline_ms_per_suggestion`, r.baseline.wallMs);
  print(`${key}.baseline_cpu_ms_per_suggestion`, r.baseline.cpuMs);
  print(`${key}.speedup_vs_baseline`, r.baseline.wallMs / r.ours.wallMs);
  print(`${key}.cpu_speedup_vs_baseline`, r.baseline.cpuMs / r.ours.cpuMs);
}

const ours = new Map<string, number>();
const oursCpu = new Map<string, number>();
if (only.has("tpe")) {
  for (const mode of ["univariate", "multivariate"] as const) {
    // JIT warm-up first, on a throwaway history of 300: a searcher with N = 1,000 trials in a
    // real run has made ~990 model suggestions, and with only the 10 warm-up suggestions
    // below the CPU figure counted V8's optimising compiler (about half of it at N = 1,000).
    const factories = baseline ? [searcherFactories[`tpe-${mode}`], baseline[`tpe-${mode}`]] : [searcherFactories[`tpe-${mode}`]];
    msPerSuggestion(factories, 300, 1, 150);
    for (const n of [1000, 2000]) {
      const r = timed(`tpe-${mode}`, n, 21, 10);
      ours.set(`${mode}.${n}`, r.ours.wallMs);
      oursCpu.set(`${mode}.${n}`, r.ours.cpuMs);
      // Issue 14's targets: 1 ms at N = 1,000, 2 ms at N = 2,000.
      printTimes(`tpe.${mode}.n${n}`, r, n === 1000 ? 1 : 2);
    }
  }
}

if (only.has("gp")) {
  // JIT warm-up first, as for TPE: with only the one untimed suggestion below, the CPU figure
  // at N = 100 also counted V8's optimising compiler threads (CPU 28-30 ms against 12-17 ms
  // wall in three runs of the same window; 17 ms CPU once warm).
  msPerSuggestion(baseline ? [searcherFactories.gp, baseline.gp] : [searcherFactories.gp], 60, 1, 30);
  for (const n of [100, 1000]) {
    // The first suggestion after the restore is a full hyperparameter refit (untimed); the timed
    // ones are warm refits until the history has grown 1.5x (refitGrowth). gp-refit-cost.ts
    // times whole refit cycles, the mean a run pays.
    // Issue 14's targets: 30 ms at N = 100, 300 ms at N = 1,000.
    printTimes(`gp.n${n}`, timed("gp", n, n === 100 ? 10 : 3, 1), n === 100 ? 30 : 300);
  }
}

if (only.has("optuna")) {
  // Optuna 3.1's TPE on the same problem (Debian's python3-optuna), its own timing table.
  try {
    const out = execFileSync("/usr/bin/python3", ["benchmarks/peers/optuna_search.py", "--speed"], { encoding: "utf8" });
    // Rows "optuna tpe ..." (wall ms) and "cpu optuna tpe ..." (process CPU ms); columns N=100, 500, 1000, 2000.
    const rows = out.split("\n").filter((l) => l.startsWith("optuna tpe") || l.startsWith("cpu optuna tpe"));
    for (const row of rows) {
      const mode = row.includes("multivariate") ? "multivariate" : "univariate";
      const cpu = row.startsWith("cpu ");
      const cells = row.slice(36).trim().split(/\s+/).map(Number);
      for (const [n, ms] of [[1000, cells[2]], [2000, cells[3]]] as const) {
        print(`optuna.tpe.${mode}.n${n}.${cpu ? "cpu_ms" : "ms"}_per_suggestion`, ms as number);
        const mine = (cpu ? oursCpu : ours).get(`${mode}.${n}`);
        if (mine !== undefined) print(`tpe.${mode}.n${n}.${cpu ? "cpu_speedup" : "speedup"}_vs_optuna`, (ms as number) / mine);
      }
    }
  } catch (e) {
    // The first line is only "Command failed"; the reason (Python's last line, e.g. no module
    // named 'optuna' on a fresh machine) is at the end of its stderr.
    const stderr = String((e as { stderr?: unknown }).stderr ?? "").trim().split("\n");
    const reason = stderr[stderr.length - 1] || String((e as Error).message).split("\n")[0];
    const hint = /No module named/.test(reason ?? "") ? " (Debian: apt-get install python3-optuna)" : "";
    print("optuna.error", JSON.stringify(`/usr/bin/python3 benchmarks/peers/optuna_search.py: ${reason}${hint}`));
  }
}

