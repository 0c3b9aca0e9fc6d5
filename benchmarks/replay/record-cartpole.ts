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
import { parseNumberText } from "../../core/errors/index.ts";
import { tune } from "../../real-backend/index.ts";
import { cartPoleObjective, cartPoleSpace } from "../rl/index.ts";

const argv = process.argv.slice(2);
const dir = argv[0];
if (dir === undefined || dir.startsWith("--")) throw new OptionError("DIR", "give the directory to record into as the first argument");
const flag = (name: string, fallback: number): number => {
  const at = argv.indexOf(name);
  return at >= 0 ? parseNumberText(name, argv[at + 1] ?? "", { integer: true, min: 1 }) : fallback;
};
const trials = flag("--trials", 32);
const iterations = flag("--iterations", 30);
const cpus = flag("--cpus", 4);
const seed = flag("--seed", 1);

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
