import type { ASHAOptions, HyperBandOptions, MedianStoppingRuleOptions, PB2Options, PopulationBasedTrainingOptions } from "../../algorithms/schedulers/index.ts";
import type { BOHBSearcherOptions, GPSearcherOptions, GridSearchOptions, TPESearcherOptions } from "../../algorithms/searchers/index.ts";
import type { SchedulerName, SearcherName } from "../algorithms.ts";

/**
 * The constructor options a file may set for each searcher and scheduler: every option of the
 * class that plain data can express. Left out: metric, mode and seed (set once, at the top of
 * the file), options that take functions (TPE's gamma and weights, PBT's customExploreFn) or
 * objects (HyperBandForBOHB's budgetObserver, wired by the CLI), and the ASHA `type` that the
 * name already fixes. `satisfies` ties each list to the class's options type, so a renamed
 * option breaks the build instead of a user's file.
 */
type Keys<T> = readonly Exclude<keyof T, "metric" | "mode" | "seed">[];

const ashaKeys = ["timeAttr", "maxT", "gracePeriod", "reductionFactor", "brackets"] as const satisfies Keys<ASHAOptions>;
const hyperbandKeys = ["timeAttr", "maxT", "reductionFactor"] as const satisfies Keys<HyperBandOptions>;
const pbtSharedKeys = ["timeAttr", "perturbationInterval", "burnInPeriod", "quantileFraction", "synch", "requireAttrs"] as const;

export const searcherOptionKeys: Readonly<Record<SearcherName, readonly string[]>> = {
  random: [],
  grid: ["numSamples"] as const satisfies Keys<GridSearchOptions>,
  tpe: [
    "nStartupTrials",
    "nEiCandidates",
    "considerPrior",
    "priorWeight",
    "considerMagicClip",
    "considerEndpoints",
    "multivariate",
    "group",
    "constantLiar",
    "scoring",
    "bandwidth",
    "magicClipExponent",
    "minBandwidthFactor",
    "goodWeighting",
  ] as const satisfies Keys<TPESearcherOptions>,
  gp: ["nStartupTrials", "acquisition", "xi", "kappa", "kernel", "restarts", "refitEvery", "refitGrowth", "warmIterations", "fitSkipPeriod", "fitSkipAfter", "randomCandidates", "maxFitPoints", "maxPosteriorPoints"] as const satisfies Keys<GPSearcherOptions>,
  bohb: ["minPointsInModel", "topNPercent", "numSamples", "randomFraction", "bandwidthFactor", "minBandwidth"] as const satisfies Keys<BOHBSearcherOptions>,
};

export const schedulerOptionKeys: Readonly<Record<SchedulerName, readonly string[]>> = {
  fifo: [],
  asha: ashaKeys,
  "asha-promotion": ashaKeys,
  hyperband: hyperbandKeys,
  "hyperband-bohb": hyperbandKeys,
  median: ["timeAttr", "gracePeriod", "minSamplesRequired", "minTimeSlice", "hardStop"] as const satisfies Keys<MedianStoppingRuleOptions>,
  pbt: [...pbtSharedKeys, "hyperparamMutations", "resampleProbability", "perturbationFactors"] as const satisfies Keys<PopulationBasedTrainingOptions>,
  pb2: [...pbtSharedKeys, "hyperparamBounds", "integerHyperparams", "model"] as const satisfies Keys<PB2Options>,
};

/** Options whose file value is a search space in the file DSL, converted with spaceFromPlain. */
export const spaceValuedOptions: readonly string[] = ["hyperparamMutations"];

/** Keys that belong at the top of the file, with the reason a user would put them here. */
export const topLevelKeys: readonly string[] = ["metric", "mode", "seed"];
