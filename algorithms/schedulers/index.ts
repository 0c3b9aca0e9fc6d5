export { FIFOScheduler } from "./fifo.ts";
export * from "./pbt/index.ts";
export * from "./pb2/index.ts";
export { ASHAScheduler, type ASHAOptions, type ASHAType } from "./asha.ts";
export { HyperBandScheduler, type HyperBandOptions } from "./hyperband.ts";
export { HyperBandForBOHB, type BudgetObserver, type HyperBandForBOHBOptions } from "./hyperband-for-bohb.ts";
export { hyperbandPlan, type HyperBandBracketPlan, type HyperBandStage } from "./hyperband-plan.ts";
export { MedianStoppingRule, type MedianStoppingRuleOptions } from "./median-stopping-rule.ts";
export { checkRungCount, MAX_RUNGS } from "./_internals/options.ts";
