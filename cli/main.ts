import { Command, CommanderError } from "commander";
import { OptionError, TuneLabError } from "../core/contracts/index.ts";
import { benchmarkNames } from "../benchmarks/objectives/index.ts";
import { schedulerNames, searcherNames } from "./algorithms.ts";
import { compareCommand, DEFAULT_PAIRS } from "./compare-command.ts";
import { packageVersion } from "./package-version.ts";
import { simCommand } from "./sim-command.ts";

const program = new Command("tunelab")
  .description("Hyperparameter search and trial scheduling, in a simulated cluster or on real training.")
  .version(packageVersion(), "-V, --version", "print the version")
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command("sim")
  .description("run one experiment in the discrete-event cluster simulator")
  .option("--benchmark <name>", `learning-curve benchmark: ${benchmarkNames.join(", ")}`, "hartmann6")
  .option("--searcher <name>", `search algorithm: ${searcherNames.join(", ")}`, "random")
  .option("--scheduler <name>", `trial scheduler: ${schedulerNames.join(", ")}`, "fifo")
  .option("--trials <n>", "trials to run", "50")
  .option("--gpus <n>", "simulated GPUs (nodes of 8)", "8")
  .option("--seed <n>", "experiment seed", "0")
  .option("--max-iterations <n>", "stop each trial at this iteration", "100")
  .option("--preemption-rate <r>", "spot preemptions per node-hour (0: on-demand nodes)", "0")
  .option("--gpus-per-trial <g>", "GPUs each trial holds (fractions share a GPU)", "1")
  .option("--checkpoint-frequency <n>", "save a checkpoint every n iterations (0: never)", "0")
  .option("--max-failures <n>", "failures a trial may have before ERROR (-1: unlimited)", "0")
  .option("--keep-checkpoints <n>", "checkpoints each trial keeps, its newest (ones a PBT clone or a paused trial may restore are pinned; default: all)")
  .option("--max-t <t>", "asha/hyperband: most a trial runs, in iterations (default: asha --max-iterations, hyperband min(81, --max-iterations))")
  .option("--grace-period <t>", "asha: first rung in iterations (default 1); median: seconds before any stop (default 60)")
  .option("--reduction-factor <r>", "asha: rf (default 4); hyperband: eta (default 3)")
  .option("--perturbation-interval <s>", "pbt/pb2: seconds of training (time_total_s) between perturbations (default 60; population = --trials)")
  .option("--grid-points <k>", "grid: evenly spaced points on each float or int range (needed when the space has ranges; k^ranges <= --trials)")
  .option("--trace <file>", "write the event trace as JSONL")
  .option("--json", "print one JSON object instead of the table")
  .action(simCommand);

program
  .command("compare")
  .description("searcher x scheduler pairs on one benchmark, median over seeds (what npm start runs)")
  .option("--benchmark <name>", `learning-curve benchmark: ${benchmarkNames.join(", ")}`, "branin")
  .option("--trials <n>", "trials per run", "40")
  .option("--gpus <n>", "simulated GPUs", "8")
  .option("--seeds <n>", "seeds per combination", "3")
  .option("--pairs <list>", "searcher:scheduler pairs, comma-separated, or all", DEFAULT_PAIRS)
  .option("--grid-points <k>", "grid pairs: evenly spaced points on each float or int range")
  .option("--max-iterations <n>", "stop each trial at this iteration", "100")
  .option("--json", "print one JSON object instead of the table")
  .action(compareCommand);

try {
  program.parse(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  if (error instanceof TuneLabError) {
    // One line for every error of ours; only bad input (OptionError) exits 2.
    const kind = error instanceof OptionError ? "" : `${error.name}: `;
    process.stderr.write(`tunelab: ${kind}${error.message}\n`);
    process.exit(error.exitCode);
  }
  throw error;
}
