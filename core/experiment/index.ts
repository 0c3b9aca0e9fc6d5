export * from "./experiment-options.ts";
export * from "./run-experiment.ts";
export * from "./experiment-limits.ts";
