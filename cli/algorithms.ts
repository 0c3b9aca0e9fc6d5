import { FIFOScheduler } from "../algorithms/schedulers/index.ts";
import { ASHAScheduler, HyperBandScheduler, MedianStoppingRule } from "../algorithms/schedulers/index.ts";
import { GridSearch, RandomSearch } from "../algorithms/searchers/index.ts";
import { BOHBSearcher, GPSearcher, TPESearcher } from "../algorithms/searchers/index.ts";
import { HyperBandForBOHB } from "../algorithms/schedulers/index.ts";
import { PopulationBasedTraining, mutationsFromSpace } from "../algorithms/schedulers/index.ts";
import { PB2, boundsFromSpace, integerKeysFromSpace } from "../algorithms/schedulers/index.ts";
import type { Mode, Scheduler, Searcher } from "../core/contracts/index.ts";
import { OptionError } from "../core/errors/index.ts";
import { countGridVariants, rangeLeafPaths, toGridSpace, type Space } from "../core/space/index.ts";

/** What the CLI knows of a run when it builds the algorithms. */
export interface AlgorithmContext {
  space: Space;
  metric: string;
  mode: Mode;
  seed: number;
  trials: number;
  maxIterations: number;
  /** `--max-t`: schedulers' maxT (default: ASHA --max-iterations, HyperBand min(81, --max-iterations)). */
  maxT?: number;
  /** `--grace-period`: ASHA's first rung (iterations) or the median rule's grace period (seconds). */
  gracePeriod?: number;
  /** `--reduction-factor`: ASHA's rf (default 4) or HyperBand's eta (default 3). */
  reductionFactor?: number;
  /** `--perturbation-interval`: PBT/PB2's interval in time_total_s seconds (default 60). */
  perturbationInterval?: number;
  /**
   * More constructor options (an experiment file's `searcher:`/`scheduler:` fields), spread last
   * over the ones above so they win; the constructor validates them. Never metric, mode or seed.
   */
  options?: Readonly<Record<string, unknown>>;
  /** `--grid-points`: grid search's points per float or int range (toGridSpace). */
  gridPoints?: number;
}

/**
 * `--searcher` names. `grid` enumerates the space's grid leaves; float and int
 * ranges become grids of `--grid-points` evenly spaced points (required when the
 * space has any). The grid repeats to fill `--trials`, and may not exceed it.
 */
export const searcherFactories = {
  random: (c: AlgorithmContext): Searcher => new RandomSearch(c.space, { metric: c.metric, mode: c.mode, seed: c.seed, ...c.options }),
  grid: (c: AlgorithmContext): Searcher => {
    const gridSpace = gridSpaceFor(c);
    const numSamples = Math.max(1, Math.ceil(c.trials / countGridVariants(gridSpace)));
    return new GridSearch(gridSpace, { metric: c.metric, mode: c.mode, seed: c.seed, numSamples, ...c.options });
  },
  tpe: (c: AlgorithmContext): Searcher => new TPESearcher(c.space, { metric: c.metric, mode: c.mode, seed: c.seed, ...c.options }),
  gp: (c: AlgorithmContext): Searcher => new GPSearcher(c.space, { metric: c.metric, mode: c.mode, seed: c.seed, ...c.options }),
  // With `--scheduler hyperband-bohb` the scheduler announces budgets to this searcher; with any other, budget = iteration.
  bohb: (c: AlgorithmContext): Searcher => {
    const searcher = new BOHBSearcher(c.space, { metric: c.metric, mode: c.mode, seed: c.seed, ...c.options });
    bohbSearchers.set(c, searcher);
    return searcher;
  },
} satisfies Record<string, (c: AlgorithmContext) => Searcher>;

/** The BOHB searcher built for a context, so `hyperband-bohb` can feed it budgets (the sim command builds the searcher first). */
const bohbSearchers = new WeakMap<AlgorithmContext, BOHBSearcher>();

/** `--scheduler` names. */
export const schedulerFactories = {
  fifo: (_c: AlgorithmContext): Scheduler => new FIFOScheduler(),
  asha: (c: AlgorithmContext): Scheduler => new ASHAScheduler(ashaOptions(c, "stopping")),
  "asha-promotion": (c: AlgorithmContext): Scheduler => new ASHAScheduler(ashaOptions(c, "promotion")),
  hyperband: (c: AlgorithmContext): Scheduler =>
    new HyperBandScheduler({
      metric: c.metric,
      mode: c.mode,
      maxT: c.maxT ?? Math.min(81, c.maxIterations),
      ...(c.reductionFactor !== undefined ? { reductionFactor: c.reductionFactor } : {}),
      ...c.options,
    }),
  // The population is --trials; every top-level domain of the benchmark's space is mutated.
  pbt: (c: AlgorithmContext): Scheduler =>
    new PopulationBasedTraining({
      metric: c.metric,
      mode: c.mode,
      seed: c.seed,
      hyperparamMutations: mutationsFromSpace(c.space),
      ...(c.perturbationInterval !== undefined ? { perturbationInterval: c.perturbationInterval } : {}),
      ...c.options,
    }),
  // PB2 tunes every top-level float or int domain inside its bounds; log domains (loguniform, lograndint...) in log space.
  pb2: (c: AlgorithmContext): Scheduler =>
    new PB2({
      metric: c.metric,
      mode: c.mode,
      seed: c.seed,
      hyperparamBounds: boundsFromSpace(c.space),
      integerHyperparams: integerKeysFromSpace(c.space),
      ...(c.perturbationInterval !== undefined ? { perturbationInterval: c.perturbationInterval } : {}),
      ...c.options,
    }),
  median: (c: AlgorithmContext): Scheduler =>
    new MedianStoppingRule({
      metric: c.metric,
      mode: c.mode,
      ...(c.gracePeriod !== undefined ? { gracePeriod: c.gracePeriod } : {}),
      ...c.options,
    }),
  // HyperBandForBOHB; feeds stage budgets to `--searcher bohb` when that is the searcher.
  "hyperband-bohb": (c: AlgorithmContext): Scheduler => {
    const budgetObserver = bohbSearchers.get(c);
    return new HyperBandForBOHB({
      metric: c.metric,
      mode: c.mode,
      maxT: c.maxT ?? Math.min(81, c.maxIterations),
      ...(c.reductionFactor !== undefined ? { reductionFactor: c.reductionFactor } : {}),
      ...(budgetObserver !== undefined ? { budgetObserver } : {}),
      ...c.options,
    });
  },
} satisfies Record<string, (c: AlgorithmContext) => Scheduler>;

export type SearcherName = keyof typeof searcherFactories;
export type SchedulerName = keyof typeof schedulerFactories;
export const searcherNames = Object.keys(searcherFactories) as SearcherName[];
export const schedulerNames = Object.keys(schedulerFactories) as SchedulerName[];

function ashaOptions(c: AlgorithmContext, type: "stopping" | "promotion"): ConstructorParameters<typeof ASHAScheduler>[0] {
  return {
    metric: c.metric,
    mode: c.mode,
    type,
    seed: c.seed,
    maxT: c.maxT ?? c.maxIterations,
    ...(c.gracePeriod !== undefined ? { gracePeriod: c.gracePeriod } : {}),
    ...(c.reductionFactor !== undefined ? { reductionFactor: c.reductionFactor } : {}),
    ...c.options,
  };
}

/** The grid `--searcher grid` enumerates: checked before anything is expanded, since GridSearch lists every point. */
function gridSpaceFor(c: AlgorithmContext): Space {
  const ranges = rangeLeafPaths(c.space);
  if (ranges.length > 0 && c.gridPoints === undefined) {
    const shown = ranges.length > 4 ? `${ranges.slice(0, 4).join(", ")}, ...` : ranges.join(", ");
    throw new OptionError(
      "--searcher",
      `grid needs grid leaves or a resolution: the space has ${ranges.length} continuous or integer range(s) (${shown}); give --grid-points k for k evenly spaced points on each`,
    );
  }
  // Choices of constants become grids whatever k is; ranges get k points each.
  const points = c.gridPoints ?? 1;
  const size = points ** ranges.length;
  if (size > c.trials) {
    throw new OptionError(
      "--grid-points",
      `${points} points on each of ${ranges.length} range(s) make ${size} grid points, more than --trials ${c.trials}: the grid would be cut short; use --grid-points <= ${Math.max(1, Math.floor(c.trials ** (1 / ranges.length) + 1e-9))} or more trials`,
    );
  }
  return toGridSpace(c.space, points);
}
