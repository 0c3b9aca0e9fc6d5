/**
 * Does PB2's cheaper model step (`model.refitPeriod`, `maxPending`, `maxRows`: issue 14) cost
 * quality? The same seeds with Ray's rule (every exploit searches the window and fits both GPs,
 * every pick of the round pending, 1,000 rows) and with the given settings, paired:
 *
 * - rl-return, PB2's paper check (population 4, 3,000 simulated s, a perturbation every 120 s,
 *   final return = best trial's mean of its last 5 results; higher is better), model defaults;
 * - hartmann6 at scale (400 trials on 40 GPUs, 27 iterations, a perturbation every 9, the model
 *   settings of benchmarks/perf/scale-sim.ts; the mean final value of the trials that reached
 *   iteration 27, lower is better), where a round's
 *   picks and the data window are large enough for `maxPending` and `maxRows` to bind.
 *
 * Prints name=value lines: medians with 95% bootstrap intervals, the paired Wilcoxon signed-rank
 * p-value, and CPU seconds per rule.
 *
 *   npx tsx benchmarks/pb2-model-reuse-check.ts [--seeds 20] [--model '{"refitPeriod":10,"maxPending":50,"maxRows":250}'] [--only rl|hartmann]
 */
import { parseArgs } from "node:util";
import { PB2, boundsFromSpace, integerKeysFromSpace } from "../algorithms/schedulers/index.ts";
import type { SelectConfigSettings } from "../algorithms/schedulers/index.ts";
import { RandomSearch } from "../algorithms/searchers/index.ts";
import type { TrialView } from "../core/contracts/index.ts";
import { TimeoutStopper } from "../core/stoppers/index.ts";
import { simulate } from "../simulator/index.ts";
import { benchmarkByName } from "./objectives/index.ts";
import { rlReturnObjective } from "./objectives/rl-return.ts";
import { median, medianInterval, wilcoxonSignedRank } from "./stats/index.ts";
import { numberFlag } from "./script-flags.ts";

const { values } = parseArgs({
  options: {
    seeds: { type: "string" },
    model: { type: "string", default: '{"refitPeriod":10,"maxPending":50,"maxRows":250}' },
    only: { type: "string" },
  },
});
const seeds = numberFlag("seeds", values.seeds, 20, { integer: true, min: 2 });
const reuse = JSON.parse(values.model as string) as SelectConfigSettings;

function rlFinalReturn(seed: number, model: SelectConfigSettings): number {
  const bench = rlReturnObjective();
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: 4,
    seed,
    searcher: new RandomSearch(bench.space, { metric: bench.metric, mode: bench.mode, seed }),
    scheduler: new PB2({
      metric: bench.metric,
      mode: bench.mode,
      seed,
      perturbationInterval: 120,
      hyperparamBounds: boundsFromSpace(bench.space),
      integerHyperparams: integerKeysFromSpace(bench.space),
      model,
    }),
    cluster: { gpus: 4 },
    maxIterations: null,
    stoppers: [new TimeoutStopper(3000)],
  });
  let best = Number.NEGATIVE_INFINITY;
  for (const trial of run.trials as readonly TrialView[]) {
    const last = trial.history.slice(-5);
    if (last.length > 0) best = Math.max(best, last.reduce((s, r) => s + (r.metrics[bench.metric] as number), 0) / last.length);
  }
  return best;
}

function hartmannBest(seed: number, model: SelectConfigSettings): number {
  const bench = benchmarkByName("hartmann6", { maxIterations: 27 });
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: 400,
    seed,
    scheduler: new PB2({
      metric: bench.metric,
      mode: bench.mode,
      seed,
      timeAttr: "training_iteration",
      perturbationInterval: 9,
      hyperparamBounds: boundsFromSpace(bench.space),
      model: { fitEvaluations: 30, acquisitionStarts: 3, acquisitionEvaluations: 60, ...model },
    }),
    cluster: { gpus: 40 },
    maxIterations: 27,
  });
  // The population's quality, not the luckiest trial (the best of 400 is mostly an initial random draw);
  // the mean, as a median over the population does not move when a changed trial stays on its side.
  const finals = (run.trials as readonly TrialView[]).flatMap((trial) => {
    const last = trial.history.at(-1);
    return last !== undefined && last.iteration === 27 ? [last.metrics[bench.metric] as number] : [];
  });
  if (finals.length === 0) throw new Error(`hartmann6 seed ${seed}: no trial reached iteration 27`);
  return finals.reduce((sum, v) => sum + v, 0) / finals.length;
}

function cpuSeconds<T>(f: () => T): [T, number] {
  const start = process.cpuUsage();
  const value = f();
  const used = process.cpuUsage(start);
  return [value, (used.user + used.system) / 1e6];
}

function compare(name: string, run: (seed: number, model: SelectConfigSettings) => number, higherIsBetter: boolean): void {
  const old: number[] = [];
  const reused: number[] = [];
  let oldCpu = 0;
  let newCpu = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const [a, ta] = cpuSeconds(() => run(seed, {}));
    const [b, tb] = cpuSeconds(() => run(seed, reuse));
    old.push(a);
    reused.push(b);
    oldCpu += ta;
    newCpu += tb;
  }
  const [oldLow, oldHigh] = medianInterval(old, { seed: 1 });
  const [newLow, newHigh] = medianInterval(reused, { seed: 1 });
  const test = wilcoxonSignedRank(reused, old);
  const better = reused.filter((v, i) => (higherIsBetter ? v > (old[i] as number) : v < (old[i] as number))).length;
  console.log(`${name}.seeds=${seeds}`);
  console.log(`${name}.ray_rule_median=${median(old).toPrecision(6)} [${oldLow.toPrecision(6)}, ${oldHigh.toPrecision(6)}]`);
  console.log(`${name}.reuse_median=${median(reused).toPrecision(6)} [${newLow.toPrecision(6)}, ${newHigh.toPrecision(6)}]`);
  console.log(`${name}.reuse_better_seeds=${better} of ${seeds} (${higherIsBetter ? "higher" : "lower"} is better)`);
  console.log(`${name}.wilcoxon_p=${test.p.toFixed(4)}`);
  console.log(`${name}.ray_rule_cpu_s=${oldCpu.toFixed(1)}`);
  console.log(`${name}.reuse_cpu_s=${newCpu.toFixed(1)}`);
}

console.log(`model=${JSON.stringify(reuse)}`);
if (values.only !== "hartmann") compare("rl_return", rlFinalReturn, true);
if (values.only !== "rl") compare("hartmann6_400_mean_final", hartmannBest, false);
