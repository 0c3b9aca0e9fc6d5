import { Command, CommanderError } from "commander";
import { OptionError, TuneLabError } from "../core/errors/index.ts";
import { PAPER_CHECK_GROUPS } from "../benchmarks/papers/groups.ts";
import { packageVersion } from "./package-version.ts";
import {
  BENCHMARK_NAMES as benchmarkNames,
  BUILTIN_SUITE_NAMES,
  DEFAULT_BUDGET_GPU_HOURS,
  DEFAULT_PAIRS,
  SCHEDULER_NAMES as schedulerNames,
  SEARCHER_NAMES as searcherNames,
} from "./help-names.ts";

/**
 * A command's action, imported when that command runs. Every command is registered
 * below with its flags (so `--help` lists them all), but its module, and the tree
 * behind it, loads only in the action: `tunelab --version` loads no command, and
 * `tunelab sim` loads only the simulator's side. To add a command: one
 * `program.command(...)...action(lazy(() => import("./x-command.ts"), "xCommand"))`
 * block in buildProgram; names its help lists come from help-names.ts, not a registry.
 */
function lazy<M, K extends keyof M>(load: () => Promise<M>, name: K): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const action = (await load())[name] as (...a: unknown[]) => unknown;
    await action(...args);
  };
}

/**
 * The `tunelab` program: every command with its flags and help; the actions load
 * their modules when they run (see lazy). A fresh program per call: commander keeps
 * the parsed values on it.
 */
export function buildProgram(): Command {
  const program = new Command("tunelab")
    .description("Hyperparameter search and trial scheduling, in a simulated cluster or on real training.")
    .version(packageVersion(), "-V, --version", "print the version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command("sim")
    .description("run one experiment in the discrete-event cluster simulator")
    .option("--benchmark <name>", `learning-curve benchmark: ${benchmarkNames.join(", ")}, or lcbench/<OpenML task id>`, "hartmann6")
    .option("--searcher <name>", `search algorithm: ${searcherNames.join(", ")}`, "random")
    .option("--scheduler <name>", `trial scheduler: ${schedulerNames.join(", ")}`, "fifo")
    .option("--trials <n>", "trials to run (default 50; unlimited with a budget)")
    .option("--gpus <n>", "simulated GPUs (nodes of 8)", "8")
    .option("--seed <n>", "experiment seed", "0")
    .option("--max-iterations <n>", "stop each trial at this iteration (default: the benchmark's natural budget, e.g. 100 for branin, 1000 for noisy-lr-schedule)")
    .option("--budget-seconds <s>", "experiment budget in simulated seconds: new trials keep coming until it is spent")
    .option("--budget-gpu-hours <h>", "experiment budget in GPU-hours held by trials (with --budget-seconds: whichever runs out first)")
    .option("--preemption-rate <r>", "spot preemptions per node-hour (0: on-demand nodes)", "0")
    .option("--interruption-frequency <p>", "spot: monthly interruption frequency, as the AWS Spot Advisor's buckets (<5%: 0.025 ... >20%: 0.25); Poisson rate -ln(1-p)/730 per node-hour")
    .option("--storm <f@t>", "spot: lose fraction f of the spot nodes at simulated second t, e.g. 0.9@600 (FRACTION@SECONDS[:TYPE]; repeatable)", (value: string, previous: string[] = []) => [...previous, value])
    .option("--provider <name>", "spot notice of the provider: aws (120 s), gcp or azure (30 s); trials checkpoint on notice")
    .option("--preemption-notice <s>", "spot: seconds of notice before a node goes (overrides --provider)")
    .option("--spot-discount <d>", "spot price as a share off on-demand (default 0.667: a third of the price)")
    .option("--availability-trace <csv>", "spot: replay a CSV of time,type,available[,price] (seconds, node type, instances, $/h)")
    .option("--max-nodes <n>", "autoscale nodes of 8 GPUs up to n (spot plus an on-demand fallback type when a spot market is given); replaces --gpus")
    .option("--min-nodes <n>", "with --max-nodes: nodes the autoscaler keeps (default 0)")
    .option("--cluster <file>", "a JSON ClusterSpec: nodeTypes with count or minCount/maxCount, prices, spot, launchDelay, idleTimeoutSeconds; autoscaler; storms; ...")
    .option("--gpus-per-trial <g>", "GPUs each trial holds (fractions share a GPU)", "1")
    .option("--checkpoint-frequency <n>", "save a checkpoint every n iterations (0: never)", "0")
    .option("--max-failures <n>", "failures a trial may have before ERROR (-1: unlimited)", "0")
    .option("--keep-checkpoints <n>", "checkpoints each trial keeps, its newest (ones a PBT clone or a paused trial may restore are pinned; default: all)")
    .option("--max-t <t>", "asha/hyperband: most a trial runs, in iterations (default: asha --max-iterations, hyperband min(81, --max-iterations))")
    .option("--grace-period <t>", "asha: first rung in iterations (default: the benchmark's, 1 for the synthetic functions); median: seconds before any stop (default 60)")
    .option("--reduction-factor <r>", "asha: rf (default 4); hyperband: eta (default 3)")
    .option("--perturbation-interval <s>", "pbt/pb2: seconds of training (time_total_s) between perturbations (default: the benchmark's, 60 for the synthetic functions; population = --trials)")
    .option("--grid-points <k>", "grid: evenly spaced points on each float or int range (needed when the space has ranges; k^ranges <= --trials)")
    .option("--resource-changing <policy>", "re-allocate resources of paused and resumed trials (ResourceChangingScheduler around --scheduler): distribute (even shares) or top-job (all free to the best)")
    .option("--increase-by-gpus <g>", "--resource-changing: GPUs per growth step (default 1 for GPU trials)")
    .option("--increase-by-times <n>", "--resource-changing: most growth steps a trial takes over its base (with --increase-by-gpus; default no limit)")
    .option("--reserve-gpus <g>", "--resource-changing: GPUs never handed out to grown trials (default 0)")
    .option("--resource-scaling <spec>", "how step time scales with GPUs: amdahl:P (parallel fraction) or table:1=1,2=1.8,4=3.1 (default: the benchmark's, amdahl:0.9 for the learning curves)")
    .option("--trace <file>", "write the event trace as JSONL")
    .option("--out <dir>", "write the experiment directory (results, trials.csv, decisions.jsonl, trace.jsonl) here")
    .option("--report [file]", "write an HTML report of the run (default report.html); needs --out or writes the directory to a temporary folder")
    .option("--progress", "show live progress on stderr even when it is not a terminal (plain lines there)")
    .option("--no-progress", "never show live progress (default: a live table when stderr is a terminal)")
    .option("--quiet", "no progress and no notes on stderr (errors and warnings still show)")
    .option("--json", "print one JSON object instead of the table")
    .option("--formula <expr>", 'a mathjs loss over --space\'s parameters, e.g. "(x - 2)^2 + 10 * (log10(lr) + 3)^2" (instead of --benchmark)')
    .option("--space <file>", 'the formula\'s space as JSON: {"x": {"uniform": [-5, 5]}, "lr": {"loguniform": [1e-5, 1e-1]}}')
    .option("--replay <dir>", "replay a recorded experiment directory (written by tune() or tunelab run) instead of --benchmark: its configs' curves and step times")
    .action(lazy(() => import("./sim-command.ts"), "simCommand"));

  program
    .command("compare")
    .description("searcher x scheduler pairs on one benchmark, median over seeds (what npm start runs)")
    .option("--benchmark <name>", `learning-curve benchmark: ${benchmarkNames.join(", ")}`, "branin")
    .option("--trials <n>", `cap on trials per run; alone, compares at equal trial counts (default: unlimited within the budget)`)
    .option("--budget-gpu-hours <h>", `GPU-hours each run may spend (default ${DEFAULT_BUDGET_GPU_HOURS} when neither a budget nor --trials is given)`)
    .option("--budget-seconds <s>", "simulated seconds each run may take")
    .option("--gpus <n>", "simulated GPUs", "8")
    .option("--seeds <n>", "seeds per combination", "3")
    .option("--pairs <list>", "searcher:scheduler pairs, comma-separated, or all", DEFAULT_PAIRS)
    .option("--grid-points <k>", "grid pairs: evenly spaced points on each float or int range")
    .option("--max-iterations <n>", "stop each trial at this iteration (default: the benchmark's natural budget)")
    .option("--out <dir>", "write each run's experiment directory here (DIR/<searcher>_<scheduler>/seed-<n>)")
    .option("--report [file]", "write an HTML report comparing the methods: best so far over seeds with intervals, final values, rank tests (default report.html)")
    .option("--quiet", "no notes on stderr (errors still show)")
    .option("--json", "print one JSON object instead of the table")
    .action(lazy(() => import("./compare-command.ts"), "compareCommand"));

  program
    .command("run")
    .description("run an experiment described in a YAML or JSON file: a real one, or `kind: simulation` on the simulated cluster (see docs: experiment files)")
    .argument("<file>", "experiment file: name, trainable, space, metric, mode, trials, searcher, scheduler, ...")
    .option("--dry-run", "check the file and print the resolved experiment; run nothing")
    .option("--json", "print JSON instead of a table (or, with --dry-run, instead of YAML)")
    .option("--report [file]", "after the run, write an HTML report of its experiment directory (default report.html)")
    .option("--resume", "carry on the experiment saved in its directory (after a crash or a kill); starts it if nothing is saved")
    .option("--redis <url>", "run the trials on `tunelab worker`s through this Redis (redis://[:password@]host:port or rediss://); the experiment directory must be on a path every worker reaches")
    .action(lazy(() => import("./run-command.ts"), "runCommand"));

  program
    .command("resume")
    .description("carry on the experiment saved in DIR, rebuilt from the experiment file it saved")
    .argument("<dir>", "an experiment directory written by tunelab run (holds experiment_state.json)")
    .option("--json", "print one JSON object instead of the table")
    .action(lazy(() => import("./resume-command.ts"), "resumeCommand"));

  program
    .command("bench")
    .description("run a benchmark suite's grid (methods x benchmarks x seeds) on all cores, resumably; print and write the figures")
    .requiredOption("--suite <name>", `suite: ${BUILTIN_SUITE_NAMES.join(", ")} (and any an --import module registers)`)
    .requiredOption("--out <dir>", "output directory: cells.jsonl (one line per finished cell; a rerun resumes), report.txt, report.json")
    .option("--methods <list>", "searcher:scheduler pairs, comma-separated (default: the suite's)")
    .option("--seeds <n>", "seeds 0..n-1 (default: the suite's)")
    .option("--threads <n>", "worker threads (default: all cores; 0: run in this thread)")
    .option("--import <module>", "a module that registers benchmarks or suites (repeatable)", (value: string, previous: string[] = []) => [...previous, value])
    .option("--progress", "show progress on stderr even when it is not a terminal (a plain line every 10 s)")
    .option("--no-progress", "never show progress (default: cells done/total, running and ETA, redrawn on a terminal)")
    .option("--quiet", "no progress on stderr")
    .action(lazy(() => import("./bench/bench-command.ts"), "benchCommand"));

  program
    .command("analyze <dir>")
    .description("best trials and status counts of an experiment directory (finished, running or crashed)")
    .option("--metric <m>", "metric to rank by (default: the experiment's)")
    .option("--mode <mode>", "min or max (default: the experiment's)")
    .option("--top <n>", "trials to list", "5")
    .option("--json", "print one JSON object instead of the table")
    .action(lazy(() => import("./analyze-command.ts"), "analyzeCommand"));

  program
    .command("report <dirs...>")
    .description("one self-contained HTML report (inline SVG, opens from disk) of one or more experiment directories")
    .option("--out <path>", "the HTML file (default report.html), or the folder for --format svg (default report-figures)")
    .option("--format <f>", "html, or svg for one file per figure", "html")
    .action(lazy(() => import("./report-command.ts"), "reportCommand"));

  program
    .command("check <what>")
    .description("check our algorithms against published numbers: `tunelab check papers`")
    .option("--seeds <n>", "seeds of the statistical checks (PB2 vs PBT; the paper-sized test is 100, about 8 minutes)", "10")
    .option("--only <groups>", `comma-separated check groups: ${PAPER_CHECK_GROUPS.join(", ")}`)
    .option("--json", "print the outcomes as one JSON array")
    .action(lazy(() => import("./check-command.ts"), "checkCommand"));

  program
    .command("worker")
    .description("run trials for drivers on other machines through Redis (see docs/architecture/redis.md)")
    .requiredOption("--redis <url>", "redis://[user:password@]host:port, or rediss:// for TLS")
    .option("--cpus <n>", "CPUs this worker offers (default: all)")
    .option("--gpus <n>", "GPUs this worker offers (default: those nvidia-smi lists)")
    .option("--namespace <name>", "Redis key prefix shared with the driver", "tunelab")
    .option("--heartbeat-ms <ms>", "how often the worker beats", "500")
    .action(lazy(() => import("./worker-command.ts"), "workerCommand"));
  return program;
}

/**
 * Runs `tunelab` on `argv` (as process.argv: node, script, arguments...) in this
 * process. Resolves to the exit code when the run ended on an error of ours or on
 * commander's (help, version, a bad or unknown flag: 0 or 2; bad input 2; other
 * TuneLab errors their own code, after one line on stderr), or to undefined when the
 * command ran to its end (it may have set process.exitCode). Other errors (bugs)
 * are thrown. main.ts exits with the code; tests call it to run a command in process.
 */
export async function runCli(argv: readonly string[]): Promise<number | undefined> {
  try {
    await buildProgram().parseAsync([...argv]);
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof TuneLabError) {
      // One line for every error of ours; only bad input (OptionError) exits 2.
      const kind = error instanceof OptionError ? "" : `${error.name}: `;
      process.stderr.write(`tunelab: ${kind}${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
