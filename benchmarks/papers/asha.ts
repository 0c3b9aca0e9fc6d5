import { ASHAScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { simulate } from "../../simulator/index.ts";
import { hartmann6 } from "../objectives/functions/index.ts";
import { learningCurveObjective } from "../objectives/learning-curve.ts";
import type { PaperCheck } from "./paper-check.ts";

const R = 81;
const ETA = 3;
/** No start-up, save or restore cost: the paper's idealised cluster, where only training takes time. */
const IDEAL = { actorStartupSeconds: 0, gpuInitSeconds: 0, checkpointSeconds: 0, restoreSeconds: 0 } as const;
export const ASHA_SPEEDUP_GPUS = [1, 4, 16, 64] as const;
/**
 * Trials of the speed-up runs: enough that 64 GPUs have work well beyond the
 * R-iteration critical path (a config trained to R takes R seconds whatever
 * the cluster), which is where any speed-up must flatten.
 */
const SPEEDUP_TRIALS = 3072;

export interface AshaMeasurement {
  /** Simulated seconds until the first trial reports iteration R (1 s per iteration). */
  firstAtR: number;
  /** Makespan of SPEEDUP_TRIALS trials on 1 GPU over that on k GPUs. */
  speedup: Record<number, number>;
}

function run(gpus: number, trials: number, seed: number, type: "promotion" | "stopping") {
  // 1 simulated second per iteration, so time is counted in units of r.
  const bench = learningCurveObjective(hartmann6, { secondsRange: [1, 1], maxIterations: R });
  return simulate({
    objective: bench.objective,
    space: bench.space,
    metric: "loss",
    mode: "min",
    trials,
    seed,
    searcher: new RandomSearch(bench.space, { metric: "loss", mode: "min", seed }),
    scheduler: new ASHAScheduler({ metric: "loss", mode: "min", type, maxT: R, gracePeriod: 1, reductionFactor: ETA, seed }),
    cluster: { gpus, ...IDEAL },
    maxIterations: R,
  });
}

/**
 * Li et al. 2020 (ASHA), on the simulator. The first configuration trained to
 * R: an idle cluster with one GPU per configuration of the base rung (eta^4 =
 * 81), so every promotion starts at once. Speed-up: the same 3,072 trials on
 * 1, 4, 16 and 64 GPUs, with the stopping form (Ray Tune's): our promotion
 * form picks the next paused trial by a scan that grows with the rungs, which
 * makes such runs take minutes, not seconds.
 */
export function measureAsha(): AshaMeasurement {
  // The paper's Algorithm 2: trials pause at a rung and the best resume (promotion) from where they stopped.
  const idle = run(R, R, 0, "promotion");
  let firstAtR = Number.POSITIVE_INFINITY;
  for (const t of idle.trials) for (const r of t.history) if (r.iteration >= R) firstAtR = Math.min(firstAtR, r.time);
  const makespan = Object.fromEntries(ASHA_SPEEDUP_GPUS.map((g) => [g, run(g, SPEEDUP_TRIALS, 1, "stopping").summary.simulatedSeconds]));
  const speedup = Object.fromEntries(ASHA_SPEEDUP_GPUS.map((g) => [g, (makespan[1] as number) / (makespan[g] as number)]));
  return { firstAtR, speedup };
}

const paper = "Li et al. 2020, ASHA";
export const ashaChecks: PaperCheck<AshaMeasurement>[] = [
  {
    id: "asha.first-at-R",
    paper,
    quantity: "time the first config reaches R=81 (idle cluster, resume)",
    paperValue: R,
    comparison: { kind: "within", tolerance: 1e-9 },
    measurement: "asha",
    ours: (m) => ({ value: m.firstAtR }),
  },
  ...ASHA_SPEEDUP_GPUS.slice(1).map(
    (gpus): PaperCheck<AshaMeasurement> => ({
      id: `asha.speedup-${gpus}`,
      paper,
      quantity: `speed-up, ${gpus} GPUs vs 1 (3,072 trials, stopping ASHA)`,
      paperValue: gpus,
      comparison: { kind: "at-least", value: 0.75 * gpus },
      measurement: "asha",
      ours: (m) => ({ value: Number((m.speedup[gpus] as number).toFixed(2)) }),
    }),
  ),
];
