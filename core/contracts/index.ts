export * from "./errors.ts";
export * from "./result.ts";
export * from "./mode.ts";
export * from "./trial-view.ts";
export * from "./decision.ts";
export type * from "./searcher.ts";
export type * from "./scheduler.ts";
export type * from "./objective.ts";
export type * from "./executor.ts";
