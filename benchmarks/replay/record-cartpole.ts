/**
 * Records a real CartPole experiment for replay (issue 11 section 4):
 *
 *   npx tsx benchmarks/replay/record-cartpole.ts /tmp/cartpole-recording             # 32 trials x 30 iterations, random + FIFO
 *   npx tsx benchmarks/replay/record-cartpole.ts DIR --trials 32 --iterations 60     # larger
 *
 * random search + FIFO over the CartPole space: every trial trains REINFORCE for
 * the whole `--iterations` (10 episodes each), so every config's whole curve is
 * on disk, in the experiment directory tune() writes. Trials run in this process
 * (`--cpus` of them at a time, interleaved on one core). Prints the live wall time.
 */
import { FIFOScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { OptionError } from "../../core/contracts/index.ts";
import { parseArgs } from "node:util";
import { numberFlag } from "../script-flags.ts";
import { tune } from "../../real-backend/index.ts";
import { cartPoleObjective, cartPoleSpace } from "../rl/index.ts";

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { trials: { type: "string" }, iterations: { type: "string" }, cpus: { type: "string" }, seed: { type: "string" } },
});
const dir = positionals[0];
if (dir === undefined) throw new OptionError("DIR", "give the directory to record into as the first argument");
const count = { integer: true, min: 1 };
const trials = numberFlag("trials", flags.trials, 32, count);
const iterations = numberFlag("iterations", flags.iterations, 30, count);
const cpus = numberFlag("cpus", flags.cpus, 4, count);
const seed = numberFlag("seed", flags.seed, 1, count);

const started = performance.now();
const run = await tune({
  trainable: cartPoleObjective({ episodesPerStep: 10 }),
  space: cartPoleSpace,
  metric: "mean_return",
  mode: "max",
  trials,
  maxIterations: iterations,
  seed,
  searcher: new RandomSearch(cartPoleSpace, { metric: "mean_return", mode: "max", seed }),
  scheduler: new FIFOScheduler(),
  resources: { cpu: 1, gpu: 0 },
  capacity: { cpu: cpus, gpu: 0 },
  storagePath: dir,
  name: "cartpole-recording",
  progress: false,
});
console.log(`recorded=${dir}`);
console.log(`trials=${run.trials.length}`);
console.log(`iterations_per_trial=${iterations}`);
console.log(`best_mean_return=${run.best?.metric}`);
console.log(`live_wall_seconds=${((performance.now() - started) / 1000).toFixed(1)}`);
