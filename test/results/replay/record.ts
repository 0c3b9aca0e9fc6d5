import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ASHAScheduler, FIFOScheduler } from "../../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import { cartPoleObjective, cartPoleSpace } from "../../../benchmarks/rl/index.ts";
import type { Scheduler } from "../../../core/contracts/index.ts";
import { tune, type TuneRun } from "../../../real-backend/index.ts";

export const METRIC = "mean_return";
export const MAX_ITERATIONS = 9;

/** A tiny CartPole agent: a few milliseconds a step, still a real, noisy learning curve. */
export const smallCartPole = () => cartPoleObjective({ episodesPerStep: 3, hidden: 6 });

/**
 * A live run, made deterministic: one CPU for 1-CPU trials (trials run one at a
 * time, so results reach the scheduler in an order no clock can change), and a
 * trainable whose every draw comes from the trial's seeded stream.
 */
export async function recordLive(scheduler: "fifo" | "asha", trials: number, seed = 3): Promise<{ dir: string; run: TuneRun }> {
  const dir = mkdtempSync(join(tmpdir(), `tunelab-replay-${scheduler}-`));
  const run = await tune({
    trainable: smallCartPole(),
    space: cartPoleSpace,
    metric: METRIC,
    mode: "max",
    trials,
    maxIterations: MAX_ITERATIONS,
    seed,
    searcher: new RandomSearch(cartPoleSpace, { metric: METRIC, mode: "max", seed }),
    scheduler: liveScheduler(scheduler, seed),
    resources: { cpu: 1, gpu: 0 },
    capacity: { cpu: 1, gpu: 0 },
    storagePath: dir,
    progress: false,
  });
  return { dir, run };
}

export function liveScheduler(kind: "fifo" | "asha", seed: number): Scheduler {
  return kind === "fifo"
    ? new FIFOScheduler()
    : new ASHAScheduler({ metric: METRIC, mode: "max", maxT: MAX_ITERATIONS, gracePeriod: 1, reductionFactor: 3, seed });
}
