export { RandomSearch } from "./random-search.ts";
export { GridSearch, type GridSearchOptions } from "./grid-search.ts";
export { ConcurrencyLimiter, type ConcurrencyLimiterOptions } from "./concurrency-limiter.ts";
export { Repeater, TRIAL_INDEX, type RepeaterOptions } from "./repeater.ts";
export { resolveSearcherOptions, type SearcherOptions } from "./searcher-options.ts";
export { defaultSearcher } from "./default-searcher.ts";
export { TPESearcher, type TPESearcherOptions } from "./tpe/tpe-searcher.ts";
export { BOHBSearcher, type BOHBSearcherOptions } from "./bohb/bohb-searcher.ts";
export { GP_BO_FIT_SKIP_OPTIONS, GP_BO_REFERENCE_OPTIONS, GPSearcher, type GPSearcherOptions } from "./gp/gp-searcher.ts";
