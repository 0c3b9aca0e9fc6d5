export * from "./experiment-options.ts";
export * from "./run-experiment.ts";
