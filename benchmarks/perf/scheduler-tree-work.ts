/**
 * The schedulers' O(log n) per result (issue 14, target 1), counted: the steps of every
 * order-statistic tree a scheduler walks inside its own hooks (ASHA's and HyperBand's rungs,
 * the median rule's running means, PBT's ranking, PB2's ranking and data index), per result,
 * at 10,000 trials on 1,000 GPUs and at 100,000 trials on 10,000 GPUs: the sizes of
 * `scale.ts --large`. Counts hold on a loaded machine and leave out the memory hierarchy,
 * which the timed growth in scale.ts also measures (bigger trees miss the caches).
 *
 * A tree step per result that grows by about ln(100,000) / ln(10,000) = 1.25 is O(log n); a
 * rescan of a rung would grow 10x. Work outside the trees (a scheduler's own loops) is not
 * counted here: `scale.ts --scheduler-work` times it.
 *
 *   npx tsx benchmarks/perf/scheduler-tree-work.ts [--schedulers asha-stopping,...] [--small 10000,1000] [--big 100000,10000]
 *
 * Prints `scheduler_tree_work.<scheduler>.<size>.<figure>=value` lines and the growth.
 */
import { parseArgs } from "node:util";
import type { Scheduler } from "../../core/contracts/index.ts";
import { trialsGpusFlag } from "../script-flags.ts";
import { OptionError } from "../../core/errors/index.ts";
import { simSchedulerNames, simThroughput } from "./scale-sim.ts";
import { HOOKS, wrapOutermost } from "./scheduler-work-timer.ts";
import { enterCounted, installTreeStepCounter, leaveCounted, resetTreeSteps, totalTreeSteps, treeSteps } from "./tree-step-counter.ts";

const { values } = parseArgs({ options: { schedulers: { type: "string" }, small: { type: "string" }, big: { type: "string" } } });
const schedulers = (values.schedulers ?? "asha-stopping,asha-promotion,hyperband,median-stopping,pbt,pb2-reuse").split(",");
const unknown = schedulers.filter((name) => !simSchedulerNames.includes(name));
if (unknown.length > 0) throw new OptionError("--schedulers", `unknown ${unknown.join(", ")}; known: ${simSchedulerNames.join(", ")}`);
const sizes = [trialsGpusFlag("small", values.small, [10_000, 1_000]), trialsGpusFlag("big", values.big, [100_000, 10_000])];

installTreeStepCounter();
let hookCalls = 0;

/** Counts tree steps inside the scheduler's hooks (outermost calls; a hook calling another counts once). */
function countedHooks(scheduler: Scheduler): Scheduler {
  wrapOutermost(
    scheduler,
    HOOKS,
    (_name, _args, call) => {
      hookCalls++;
      enterCounted();
      try {
        return call();
      } finally {
        leaveCounted();
      }
    },
    scheduler,
  );
  return scheduler;
}

const print = (name: string, value: number): void => console.log(`${name}=${Number.isInteger(value) ? value : value.toPrecision(4)}`);

for (const name of schedulers) {
  // JIT warm-up at a small size, counting on (the counted runs are the ones compared).
  resetTreeSteps(true);
  simThroughput(name, { label: "warmup", trials: 500, gpus: 50 }, false, countedHooks);
  const perResult: number[] = [];
  for (const [trials, gpus] of sizes) {
    const label = `${trials}_trials_${gpus}_gpus`;
    resetTreeSteps(true);
    hookCalls = 0;
    const run = simThroughput(name, { label, trials, gpus }, false, countedHooks);
    const key = `scheduler_tree_work.${name}.${label}`;
    print(`${key}.results`, run.results);
    print(`${key}.hook_calls_per_result`, hookCalls / run.results);
    print(`${key}.comparisons_per_result`, treeSteps.comparisons / run.results);
    print(`${key}.split_merge_levels_per_result`, treeSteps.splitMergeLevels / run.results);
    print(`${key}.ranks_per_result`, treeSteps.ranks / run.results);
    print(`${key}.selects_per_result`, treeSteps.selects / run.results);
    print(`${key}.tree_steps_per_result`, totalTreeSteps() / run.results);
    print(`${key}.tree_steps_per_trial`, totalTreeSteps() / run.trials);
    perResult.push(totalTreeSteps() / run.results);
  }
  // HyperBand keeps no tree: no steps at either size, so no growth to print (0 / 0 would print NaN).
  if ((perResult[0] as number) > 0) print(`scheduler_tree_work.${name}.tree_steps_per_result_growth`, (perResult[1] as number) / (perResult[0] as number));
  else console.log(`scheduler_tree_work.${name}.uses_no_tree=${(perResult[1] as number) === 0 ? "yes" : "no"}`);
}
const [[small], [big]] = sizes as [[number, number], [number, number]];
print("scheduler_tree_work.log_n_growth_reference", Math.log(big) / Math.log(small));
resetTreeSteps(false);
